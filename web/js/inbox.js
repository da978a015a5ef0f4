// The inbox: tickets with the nearest deadline first, live countdowns, filters and the API's search:
// the ticket list by number, subject and customer (GET /tickets?q=), and beside it the full-text
// search over messages, letters and notes (GET /search, docs/search.md) with its snippets.
// The list is read again every few seconds, so a new complaint appears without a reload.

import {el, replace, field, select, notice} from './dom.js';
import {get, query, session} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';
import {statuses, kinds, severities, channels, customerLanguages, label, severityBadge, statusBadge, customerText,
        nearestDeadline} from './labels.js';

export const pollSeconds = 3;

// The filters stay while the page is open, so coming back from a ticket finds the same list.
const filters = {q: '', status: 'open', kind: '', severity: '', language: '', channel: '', assignee: 'any',
                 department: '', overdue: false};

function listQuery() {
  const params = {q: filters.q, kind: filters.kind, severity: filters.severity, language: filters.language,
                  channel: filters.channel, department: filters.department, overdue: filters.overdue ? 'true' : '',
                  limit: 200};
  if (filters.status === 'open') {
    params.status = 'open';
    params.order = 'due';
  } else if (filters.status !== 'all') {
    params.status = filters.status;
  }
  let text = query(params);
  // An empty assignee means "nobody yet", so it is sent even though it is empty.
  if (filters.assignee === 'me') text += (text ? '&' : '?') + 'assignee=' + encodeURIComponent(session.user.name);
  else if (filters.assignee === 'none') text += (text ? '&' : '?') + 'assignee=';
  return text;
}

export function showInbox(main) {
  const seen = new Set();
  let first = true;
  let stopped = false;
  let timer = 0;

  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const count = el('p', {class: 'count muted', attrs: {'aria-live': 'polite'}});
  const body = el('tbody');
  const table = el('table', {class: 'tickets'},
    el('caption', {class: 'visually-hidden'}, t('inbox.caption')),
    el('thead', {}, el('tr', {},
      ['inbox.deadline', 'inbox.ticket', 'inbox.subject', 'inbox.customer', 'inbox.kind', 'inbox.severity',
       'inbox.language', 'inbox.channel', 'inbox.status', 'inbox.assignee', 'inbox.department']
        .map((key) => el('th', {scope: 'col'}, t(key))))),
    body);

  // Full-text results for the search box's words, asked for again only when the words change.
  const found = el('section', {class: 'found', hidden: true, attrs: {'aria-live': 'polite'}});
  let searched = '';
  const runSearch = async () => {
    const q = filters.q.trim();
    if (q === searched) return;
    searched = q;
    if (!q) {
      found.hidden = true;
      replace(found);
      return;
    }
    try {
      const {data} = await get('/search' + query({q, limit: 10}));
      if (stopped || searched !== q) return;
      drawFound(data);
    } catch (error) {
      if (stopped || searched !== q) return;
      // A query the search cannot read says why (an unclosed quotation mark, OR at the end, ...).
      replace(found, notice('error', error.message));
      found.hidden = false;
    }
  };

  function drawFound(data) {
    const items = data.results.map((hit) => {
      const snippet = el('p', {class: 'snippet'},
        hit.snippet_parts.map((part) => (part.match ? el('mark', {}, part.text) : part.text)));
      const where = hit.ticket
        ? el('a', {href: '#/tickets/' + encodeURIComponent(hit.ticket.number), class: 'number'}, hit.ticket.number)
        : el('span', {class: 'muted'}, '—');
      return el('li', {}, el('div', {class: 'found-head'}, where, ' ', el('span', {class: 'muted'},
        t('record.' + hit.record), hit.from ? ' · ' + hit.from : '', ' · ', hit.at.slice(0, 10))), snippet);
    });
    replace(found, el('h2', {}, t('inbox.found')),
      items.length ? el('ol', {class: 'found-list'}, items) : el('p', {class: 'muted'}, t('inbox.found_none')),
      data.more ? el('p', {class: 'muted'}, t('inbox.found_more')) : null);
    found.hidden = false;
  }

  const refresh = async () => {
    if (stopped) return;
    clearTimeout(timer);
    runSearch();
    try {
      const {data} = await get('/tickets' + listQuery());
      if (stopped) return;
      drawRows(data.tickets);
      replace(status);
    } catch (error) {
      if (stopped) return;
      replace(status, notice('error', error.message));
    }
    if (!stopped) timer = setTimeout(refresh, pollSeconds * 1000);
  };

  function drawRows(tickets) {
    const rows = tickets.map((ticket) => {
      const fresh = !first && !seen.has(ticket.number);
      seen.add(ticket.number);
      const cell = (key, ...content) => el('td', {dataset: {label: t(key)}}, content);
      return el('tr', {class: [fresh ? 'fresh' : '', ticket.severity === 'major' ? 'major' : ''],
                       dataset: {number: ticket.number}},
        cell('inbox.deadline', nearestDeadline(ticket)),
        cell('inbox.ticket', el('a', {href: '#/tickets/' + encodeURIComponent(ticket.number), class: 'number'},
                                ticket.number)),
        cell('inbox.subject', el('span', {class: 'subject'}, ticket.subject || t('ticket.no_subject'))),
        cell('inbox.customer', customerText(ticket.customer)),
        cell('inbox.kind', label('kind', ticket.kind)),
        cell('inbox.severity', severityBadge(ticket.severity)),
        cell('inbox.language', ticket.language),
        cell('inbox.channel', label('channel', ticket.channel)),
        cell('inbox.status', statusBadge(ticket.status)),
        cell('inbox.assignee', ticket.assignee || el('span', {class: 'muted'}, t('inbox.unassigned'))),
        cell('inbox.department', ticket.department));
    });
    first = false;
    replace(body, rows.length ? rows : el('tr', {}, el('td', {colSpan: 11, class: 'empty'}, t('inbox.empty'))));
    count.textContent = t('inbox.count', tickets.length);
  }

  const onFilter = (key) => (e) => {
    filters[key] = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
    refresh();
  };
  let searchTimer = 0;
  const search = el('input', {type: 'search', name: 'q', value: filters.q, placeholder: t('inbox.search_hint'),
                              oninput: (e) => {
                                filters.q = e.target.value;
                                clearTimeout(searchTimer);
                                searchTimer = setTimeout(refresh, 300);
                              }});
  const any = ['', t('inbox.any')];
  const form = el('form', {class: 'filters', attrs: {role: 'search'}, onsubmit: (e) => { e.preventDefault(); refresh(); }},
    field(t('inbox.search'), search),
    field(t('inbox.status'), select([['open', t('inbox.open')], ['all', t('inbox.all')],
                                     ...statuses.map((s) => [s, label('status', s)])], filters.status,
                                    {name: 'status', onchange: onFilter('status')})),
    field(t('inbox.kind'), select([any, ...kinds.map((k) => [k, label('kind', k)])], filters.kind,
                                  {name: 'kind', onchange: onFilter('kind')})),
    field(t('inbox.severity'), select([any, ...severities.map((s) => [s, label('severity', s)])], filters.severity,
                                      {name: 'severity', onchange: onFilter('severity')})),
    field(t('inbox.language'), select([any, ...customerLanguages.map((l) => [l, l])], filters.language,
                                      {name: 'language', onchange: onFilter('language')})),
    field(t('inbox.channel'), select([any, ...channels.map((c) => [c, label('channel', c)])], filters.channel,
                                     {name: 'channel', onchange: onFilter('channel')})),
    field(t('inbox.assignee'), select([['any', t('inbox.any')], ['me', t('inbox.me')], ['none', t('inbox.unassigned')]],
                                      filters.assignee, {name: 'assignee', onchange: onFilter('assignee')})),
    field(t('inbox.department'), el('input', {name: 'department', value: filters.department,
                                              onchange: onFilter('department')})),
    el('div', {class: 'field check'},
      el('label', {}, el('input', {type: 'checkbox', name: 'overdue', checked: filters.overdue,
                                   onchange: onFilter('overdue')}), ' ', t('inbox.overdue'))));

  replace(main,
    el('div', {class: 'heading'}, el('h1', {}, t('inbox.title')), count),
    form, status, found,
    el('div', {class: 'table-wrap'}, table));
  focusHeading(main);
  const onVisible = () => { if (!document.hidden) refresh(); };
  document.addEventListener('visibilitychange', onVisible);
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(searchTimer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
