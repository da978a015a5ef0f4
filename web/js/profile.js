// One's own profile: the name and signature that go into one's letters, the addresses notices go
// to, and one's password.

import {el, replace, field, notice} from './dom.js';
import {get, patch, post, enc, session} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';

export function showProfile(main, changed) {
  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const displayName = el('input', {name: 'display_name'});
  const signature = el('textarea', {name: 'signature', rows: 3});
  const email = el('input', {name: 'email', type: 'email'});
  const chat = el('input', {name: 'chat', placeholder: 'tg:123456'});
  const profile = el('form', {class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const {data} = await patch('/me', {display_name: displayName.value, signature: signature.value,
                                         email: email.value.trim(), chat: chat.value.trim()});
      changed({...data, csrf_token: undefined});
      replace(status, notice('ok', t('profile.saved')));
    } catch (error) {
      replace(status, notice('error', error.message));
    }
  }},
  el('h2', {}, t('profile.letters')),
  field(t('people.display_name'), displayName, t('profile.display_name_hint')),
  field(t('profile.signature'), signature),
  field(t('people.email'), email),
  field(t('profile.chat'), chat),
  el('div', {class: 'buttons'}, el('button', {type: 'submit', class: 'primary'}, t('common.save'))));

  const old = el('input', {name: 'old_password', type: 'password', required: true, autocomplete: 'current-password'});
  const fresh = el('input', {name: 'new_password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password'});
  const passwordStatus = el('div', {class: 'status'});
  const passwordForm = el('form', {class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await post('/people/' + enc(session.user.name) + '/password', {old_password: old.value, password: fresh.value});
      // Changing the password ends every session, this one too.
      replace(passwordStatus, notice('ok', t('profile.password_changed')));
      setTimeout(() => location.reload(), 1500);
    } catch (error) {
      replace(passwordStatus, notice('error', error.message));
    }
  }},
  el('h2', {}, t('profile.password')),
  field(t('profile.old_password'), old),
  field(t('profile.new_password'), fresh, t('setup.password_hint')),
  passwordStatus,
  el('div', {class: 'buttons'}, el('button', {type: 'submit'}, t('profile.change_password'))));

  replace(main, el('h1', {}, t('profile.title'), ' ', el('span', {class: 'muted'}, session.user.name)), status, profile, passwordForm);
  focusHeading(main);
  get('/me').then(({data}) => {
    displayName.value = data.display_name;
    signature.value = data.signature;
    email.value = data.email;
    chat.value = data.chat;
  }).catch((error) => replace(status, notice('error', error.message)));
  return () => {};
}
