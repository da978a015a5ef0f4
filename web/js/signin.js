// Signing in with name and password (the API's session cookie), and the one-time setup link that
// makes the first owner of an installation.

import {el, replace, field, notice} from './dom.js';
import {session, post} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';

function remember(data) {
  session.user = data.user;
  session.csrf = data.csrf_token;
}

export function showSignIn(main, done) {
  const name = el('input', {name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none',
                            spellcheck: false});
  const password = el('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const status = el('div', {class: 'status'});
  const button = el('button', {type: 'submit', class: 'primary'}, t('signin.submit'));
  const form = el('form', {class: 'narrow card', onsubmit: async (e) => {
    e.preventDefault();
    button.disabled = true;
    replace(status);
    try {
      const {data} = await post('/session', {name: name.value.trim(), password: password.value});
      remember(data);
      done();
    } catch (error) {
      replace(status, notice('error', error.status === 401 ? t('signin.wrong') : error.message));
      password.select();
    } finally {
      button.disabled = false;
    }
  }},
  el('h1', {}, t('signin.title')),
  field(t('signin.name'), name),
  field(t('signin.password'), password),
  status,
  el('div', {class: 'buttons'}, button));
  replace(main, form);
  focusHeading(main);
  name.focus();
}

export function showSetup(main, token, done) {
  const name = el('input', {name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none',
                            spellcheck: false, pattern: '[a-z0-9._-]{1,64}'});
  const displayName = el('input', {name: 'display_name', autocomplete: 'name'});
  const email = el('input', {name: 'email', type: 'email', autocomplete: 'email'});
  const password = el('input', {name: 'password', type: 'password', autocomplete: 'new-password', required: true,
                                minLength: 10});
  const again = el('input', {name: 'password_again', type: 'password', autocomplete: 'new-password', required: true,
                             minLength: 10});
  const status = el('div', {class: 'status'});
  const button = el('button', {type: 'submit', class: 'primary'}, t('setup.submit'));
  const form = el('form', {class: 'narrow card', onsubmit: async (e) => {
    e.preventDefault();
    replace(status);
    if (password.value !== again.value) {
      replace(status, notice('error', t('setup.mismatch')));
      again.focus();
      return;
    }
    button.disabled = true;
    try {
      const {data} = await post('/setup', {token, name: name.value.trim(), password: password.value,
                                           display_name: displayName.value.trim(), email: email.value.trim()});
      remember(data);
      // The link is spent: it leaves the address bar and the history.
      history.replaceState(null, '', '/#/');
      done();
    } catch (error) {
      replace(status, notice('error', error.message));
    } finally {
      button.disabled = false;
    }
  }},
  el('h1', {}, t('setup.title')),
  el('p', {}, t('setup.intro')),
  field(t('setup.name'), name, t('setup.name_hint')),
  field(t('people.display_name'), displayName),
  field(t('people.email'), email),
  field(t('setup.password'), password, t('setup.password_hint')),
  field(t('setup.again'), again),
  status,
  el('div', {class: 'buttons'}, button));
  replace(main, form);
  focusHeading(main);
}
