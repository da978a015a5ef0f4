// The owner's page: the people who work tickets (add, role, disable, reset a password) and their
// API tokens (made, shown once, revoked).

import {el, replace, append, field, select, notice} from './dom.js';
import {get, post, patch, del, enc, session} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';
import {formatTime} from './time.js';

const roles = ['agent', 'manager', 'owner'];

export function showPeople(main) {
  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const list = el('div', {class: 'people'});
  const say = (kind, text) => replace(status, notice(kind, text));

  async function load() {
    try {
      const {data} = await get('/people');
      replace(list, el('div', {class: 'table-wrap'}, el('table', {class: 'people-table'},
        el('thead', {}, el('tr', {}, ['people.name', 'people.display_name', 'people.role', 'people.email', 'people.state', 'people.actions']
          .map((k) => el('th', {scope: 'col'}, t(k))))),
        el('tbody', {}, data.people.map(personRow)))));
    } catch (error) {
      say('error', error.message);
    }
  }

  function personRow(p) {
    const self = p.name === session.user.name;
    const role = select(roles.map((r) => [r, t('role.' + r)]), p.role, {disabled: self, attrs: {'aria-label': t('people.role') + ' ' + p.name},
      onchange: async (e) => change(p, {role: e.target.value})});
    const tokens = el('div', {class: 'tokens', hidden: true});
    const passwordBox = el('div', {class: 'tokens', hidden: true});
    return el('tr', {dataset: {person: p.name}},
      el('td', {dataset: {label: t('people.name')}}, el('strong', {}, p.name)),
      el('td', {dataset: {label: t('people.display_name')}}, p.display_name),
      el('td', {dataset: {label: t('people.role')}}, role),
      el('td', {dataset: {label: t('people.email')}}, p.email),
      el('td', {dataset: {label: t('people.state')}}, p.disabled ? t('people.disabled') : t('people.active')),
      el('td', {dataset: {label: t('people.actions')}}, el('div', {class: 'row-actions'},
        self ? null : el('button', {type: 'button', class: 'quiet', onclick: () => change(p, {disabled: !p.disabled})},
                         p.disabled ? t('people.enable') : t('people.disable')),
        el('button', {type: 'button', class: 'quiet', dataset: {toggle: 'password'}, attrs: {'aria-expanded': 'false'},
                      onclick: (e) => {
          passwordBox.hidden = !passwordBox.hidden;
          e.target.setAttribute('aria-expanded', String(!passwordBox.hidden));
          if (!passwordBox.hidden) drawPassword(p, passwordBox);
        }}, t('people.reset_password')),
        el('button', {type: 'button', class: 'quiet', dataset: {toggle: 'tokens'}, attrs: {'aria-expanded': 'false'},
                      onclick: (e) => {
          tokens.hidden = !tokens.hidden;
          e.target.setAttribute('aria-expanded', String(!tokens.hidden));
          if (!tokens.hidden) drawTokens(p, tokens);
        }}, t('people.tokens')),
        passwordBox, tokens)));
  }

  async function change(p, body) {
    try {
      await patch('/people/' + enc(p.name), body);
      say('ok', t('people.changed', p.name));
    } catch (error) {
      say('error', error.message);
    }
    load();
  }

  // The owner sets someone's password; their sessions end (the API does that).
  function drawPassword(p, box) {
    const password = el('input', {name: 'new_password', type: 'password', required: true, minLength: 10,
                                  autocomplete: 'new-password'});
    const passwordStatus = el('div', {class: 'status'});
    replace(box, el('form', {class: 'inline', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await post('/people/' + enc(p.name) + '/password', {password: password.value});
        box.hidden = true;
        say('ok', t('people.password_set', p.name));
      } catch (error) {
        replace(passwordStatus, notice('error', error.message));
      }
    }}, field(t('people.new_password_for', p.name), password, t('setup.password_hint')),
    el('button', {type: 'submit'}, t('common.save'))), passwordStatus);
    password.focus();
  }

  async function drawTokens(p, box) {
    const tokenStatus = el('div', {class: 'status'});
    const label = el('input', {name: 'label', placeholder: t('tokens.label_hint'), required: true});
    let tokens = [];
    try {
      tokens = (await get('/people/' + enc(p.name) + '/tokens')).data.tokens;
    } catch (error) {
      replace(box, notice('error', error.message));
      return;
    }
    replace(box,
      tokens.length ? el('ul', {}, tokens.map((x) => el('li', {class: x.revoked_at ? 'muted' : ''},
        el('strong', {}, x.label || '#' + x.id), ' · ', t('tokens.made', formatTime(x.created_at)),
        x.last_used_at ? [' · ', t('tokens.used', formatTime(x.last_used_at))] : null,
        x.revoked_at ? [' · ', t('tokens.revoked', formatTime(x.revoked_at))]
          : [' ', el('button', {type: 'button', class: 'quiet', onclick: async () => {
              try {
                await del('/tokens/' + x.id);
              } catch (error) {
                replace(tokenStatus, notice('error', error.message));
                return;
              }
              drawTokens(p, box);
            }}, t('tokens.revoke'))]))) : el('p', {class: 'muted'}, t('tokens.none')),
      el('form', {class: 'inline', onsubmit: async (e) => {
        e.preventDefault();
        try {
          const {data} = await post('/people/' + enc(p.name) + '/tokens', {label: label.value.trim()});
          await drawTokens(p, box);
          append(box, el('div', {class: 'notice ok token-once', attrs: {role: 'status'}}, t('tokens.shown_once'), ' ',
            el('code', {class: 'secret'}, data.token)));
        } catch (error) {
          replace(tokenStatus, notice('error', error.message));
        }
      }}, field(t('tokens.label'), label), el('button', {type: 'submit'}, t('tokens.create'))),
      tokenStatus);
  }

  const name = el('input', {name: 'name', required: true, pattern: '[a-z0-9._-]{1,64}', autocapitalize: 'none', spellcheck: false});
  const displayName = el('input', {name: 'display_name'});
  const email = el('input', {name: 'email', type: 'email'});
  const role = select(roles.map((r) => [r, t('role.' + r)]), 'agent', {name: 'role'});
  const password = el('input', {name: 'password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password'});
  const addStatus = el('div', {class: 'status'});
  const addForm = el('form', {class: 'card add-person', onsubmit: async (e) => {
    e.preventDefault();
    replace(addStatus);
    try {
      await post('/people', {name: name.value.trim(), display_name: displayName.value.trim(), email: email.value.trim(),
                             role: role.value, password: password.value});
      say('ok', t('people.added', name.value.trim()));
      addForm.reset();
      load();
    } catch (error) {
      replace(addStatus, notice('error', error.message));
    }
  }},
  el('h2', {}, t('people.add')),
  el('div', {class: 'grid'},
    field(t('people.name'), name, t('setup.name_hint')),
    field(t('people.display_name'), displayName),
    field(t('people.email'), email),
    field(t('people.role'), role),
    field(t('people.password'), password, t('setup.password_hint'))),
  addStatus,
  el('div', {class: 'buttons'}, el('button', {type: 'submit', class: 'primary'}, t('people.add_button'))));

  replace(main, el('h1', {}, t('people.title')), status, list, addForm);
  focusHeading(main);
  load();
  return () => {};
}
