// One customer across channels (docs/customers.md): the verified identities, the suggestions staff
// may accept, every ticket on every channel with its outcome, and for managers the merge of two
// customer records and its undoing. Everything shown is what GET /customers/{id} answers.

import {el, replace, field, notice} from './dom.js';
import {get, post, enc, atLeast} from './api.js';
import {t} from './i18n.js';
import {focusHeading, go} from './nav.js';
import {formatTime} from './time.js';
import {label, statusBadge} from './labels.js';

// The customer's tickets as a table: the earlier complaints and what became of them.
export function ticketTable(tickets) {
  if (!tickets || tickets.length === 0) return el('p', {class: 'muted'}, t('customer.no_tickets'));
  return el('table', {class: 'customer-tickets'},
    el('thead', {}, el('tr', {}, ['inbox.ticket', 'ticket.received', 'inbox.channel', 'inbox.kind', 'inbox.status',
                                   'ticket.verdict', 'ticket.resolution_code', 'inbox.subject']
      .map((k) => el('th', {scope: 'col'}, t(k))))),
    el('tbody', {}, tickets.map((x) => el('tr', {},
      el('td', {dataset: {label: t('inbox.ticket')}}, el('a', {href: '#/tickets/' + enc(x.number)}, x.number)),
      el('td', {dataset: {label: t('ticket.received')}}, formatTime(x.received_at)),
      el('td', {dataset: {label: t('inbox.channel')}}, label('channel', x.channel)),
      el('td', {dataset: {label: t('inbox.kind')}}, label('kind', x.kind)),
      el('td', {dataset: {label: t('inbox.status')}}, statusBadge(x.status)),
      el('td', {dataset: {label: t('ticket.verdict')}}, x.verdict ? label('verdict', x.verdict) : '—'),
      el('td', {dataset: {label: t('ticket.resolution_code')}}, x.resolution_code || '—'),
      el('td', {dataset: {label: t('inbox.subject')}}, x.subject || '')))));
}

export function showCustomer(main, id) {
  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const content = el('div', {class: 'customer'});
  replace(main, el('p', {}, el('a', {href: '#/'}, '← ', t('nav.inbox'))), status, content);
  const say = (kind, text) => replace(status, notice(kind, text));

  async function load() {
    try {
      draw((await get('/customers/' + enc(id))).data);
    } catch (error) {
      replace(content, notice('error', error.status === 404 ? t('customer.not_found', id) : error.message));
    }
  }

  async function act(path, body, done) {
    try {
      const answer = await post(path, body);
      say('ok', done);
      if (String(answer.data.id) !== String(id)) go('#/customers/' + answer.data.id);
      else draw(answer.data);
    } catch (error) {
      say('error', error.message);
    }
  }

  function draw(c) {
    const first = !content.firstChild;
    const identities = c.identities.map((i) => el('li', {},
      el('strong', {}, label('identity', i.kind)), ' ', el('span', {class: 'identity'}, i.value), ' ',
      el('span', {class: 'muted'}, t('customer.verified_by', i.verified_by))));
    const suggestions = c.suggestions.map((s) => el('li', {},
      el('strong', {}, label('identity', s.kind)), ' ', el('span', {class: 'identity'}, s.value), ' ',
      el('span', {class: 'muted'}, s.source, s.ticket ? ' · ' + s.ticket : ''), ' ',
      el('button', {type: 'button', class: 'quiet', dataset: {suggestion: s.id},
                    onclick: () => act('/customers/' + enc(c.id) + '/suggestions/' + s.id + '/accept', {},
                                       t('customer.accepted'))}, t('customer.accept'))));
    const records = c.records.filter((r) => r.merged_into !== null).map((r) => el('li', {},
      t('customer.record', r.id, r.name || '—'), ' ', el('span', {class: 'muted'}, t('customer.merged_by', r.merged_by, formatTime(r.merged_at))),
      atLeast('manager') ? el('button', {type: 'button', class: 'quiet', dataset: {unmerge: r.id},
        onclick: () => act('/customers/' + r.id + '/unmerge', {}, t('customer.unmerged'))}, t('customer.unmerge')) : null));
    replace(content,
      el('h1', {}, t('customer.title', c.id), ' ', el('span', {class: 'subject'}, c.name || '')),
      el('section', {}, el('h2', {}, t('customer.identities')),
        identities.length ? el('ul', {}, identities) : el('p', {class: 'muted'}, t('customer.no_identities'))),
      suggestions.length ? el('section', {}, el('h2', {}, t('customer.suggestions')),
        el('p', {class: 'muted'}, t('customer.suggestions_hint')), el('ul', {}, suggestions)) : null,
      records.length ? el('section', {}, el('h2', {}, t('customer.records')), el('ul', {}, records)) : null,
      el('section', {}, el('h2', {}, t('customer.tickets', c.tickets.length)), ticketTable(c.tickets)),
      atLeast('manager') ? mergeForm(c) : null);
    if (first) focusHeading(content);
  }

  function mergeForm(c) {
    const into = el('input', {name: 'into', type: 'number', min: 1, required: true});
    return el('section', {}, el('h2', {}, t('customer.merge')),
      el('form', {class: 'merge', onsubmit: (e) => {
        e.preventDefault();
        act('/customers/' + enc(c.id) + '/merge', {into: Number(into.value)}, t('customer.merged'));
      }}, field(t('customer.merge_into'), into, t('customer.merge_hint')),
      el('button', {type: 'submit'}, t('customer.merge'))));
  }

  load();
  return () => {};
}
