// One ticket: what it is, its deadlines, the steps the person may take now (exactly the ticket's
// `available_steps`, which the daemon's rules compute for the caller's role), the thread of
// messages, letters and notes, corrective actions, ratings and the audit history. A step that
// sends a letter shows the letter first (the API's preview), editable, and sends it when asked.

import {el, replace, append, field, select, notice} from './dom.js';
import {get, post, enc, atLeast, session} from './api.js';
import {t} from './i18n.js';
import {focusHeading, go} from './nav.js';
import {formatTime, formatDate, countdown} from './time.js';
import {label, severityBadge, statusBadge, kinds, severities} from './labels.js';
import {ticketTable} from './customer.js';

const pollSeconds = 10;

// Read once per page load: the codes and departments (managers), the letters a reply may start from.
let workflowConfig = null;
let replyTemplates = null;

async function loadWorkflow() {
  if (workflowConfig || !atLeast('manager')) return workflowConfig;
  try {
    workflowConfig = (await get('/config/workflow')).data;
  } catch {
    workflowConfig = null;
  }
  return workflowConfig;
}

async function loadReplyTemplates() {
  if (replyTemplates) return replyTemplates;
  try {
    const {data} = await get('/templates');
    const names = new Set(data.templates.filter((x) => x.audience === 'customer' && !x.chat).map((x) => x.name));
    replyTemplates = [...names].sort();
  } catch {
    replyTemplates = ['reply'];
  }
  return replyTemplates;
}

// The steps that get a button of their own; "reply" and "notes" have their boxes, "action" its rows.
const buttonSteps = ['take', 'verdict', 'actions', 'assign', 'department', 'resolve', 'signoff', 'reopen',
                     'responded', 'waiting', 'reclassify'];

export function showTicket(main, number) {
  let view = null;
  let etag = '';
  let stopped = false;
  let timer = 0;
  let editing = false;   // a form or a letter is open: the poll does not redraw under the person's hands

  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const changedBanner = el('div', {class: 'status'});
  const content = el('div', {class: 'ticket'});
  replace(main, el('p', {}, el('a', {href: '#/'}, '← ', t('nav.inbox'))), status, changedBanner, content);

  const say = (kind, text) => replace(status, notice(kind, text));

  async function load({quietly = false} = {}) {
    try {
      const answer = await get('/tickets/' + enc(number));
      if (stopped) return;
      const changed = !view || answer.data.version !== view.version;
      if (quietly && !changed) return;
      if (quietly && editing) {
        replace(changedBanner, el('p', {class: 'notice info'}, t('ticket.changed_meanwhile'), ' ',
          el('button', {type: 'button', class: 'quiet', onclick: () => { editing = false; replace(changedBanner); draw(answer); }},
             t('ticket.show_changes'))));
        return;
      }
      draw(answer);
    } catch (error) {
      if (!stopped && !quietly) replace(content, notice('error', error.status === 404 ? t('ticket.not_found', number) : error.message));
    }
  }

  function draw(answer) {
    view = answer.data;
    etag = answer.etag || ('"v' + view.version + '"');
    editing = false;
    replace(changedBanner);
    const first = !content.firstChild;
    // Wide screens: the work (steps, thread, reply) on the left, what the ticket is on the right;
    // narrow screens: one column, the facts first.
    replace(content,
      el('h1', {}, el('span', {class: 'number'}, view.number), ' ', el('span', {class: 'subject'}, view.subject || t('ticket.no_subject'))),
      // The customer's personal data was erased (docs/privacy.md): the record stays, anonymised.
      view.erased_at ? el('p', {class: 'erased'}, t('ticket.erased_on', formatDate(view.erased_at))) : null,
      el('div', {class: 'ticket-layout'},
        el('div', {class: 'ticket-side'}, facts(view), deadlines(view), earlier(view), actions(view), ratings(view),
           atLeast('manager') && !view.merged_into ? mergeTicketForm(view) : null),
        el('div', {class: 'ticket-main'},
          steps(view),
          thread(view),
          view.available_steps.includes('reply') ? replyBox(view) : null,
          view.available_steps.includes('notes') ? noteBox() : null,
          audit(view))));
    if (first) focusHeading(content);
  }

  // ---- what the ticket is
  function facts(v) {
    const item = (key, ...value) => {
      const shown = value.filter((x) => x !== '' && x !== null && x !== undefined);
      return [el('dt', {}, t(key)), el('dd', {}, shown.length ? shown : '—')];
    };
    const c = v.customer || {};
    return el('section', {class: 'facts', attrs: {'aria-label': t('ticket.facts')}}, el('dl', {},
      item('inbox.status', statusBadge(v.status)),
      item('inbox.kind', label('kind', v.kind)),
      item('inbox.severity', severityBadge(v.severity)),
      item('inbox.language', v.language),
      item('inbox.channel', label('channel', v.channel)),
      item('inbox.customer', [c.name, c.email, c.phone, c.chat].filter(Boolean).join(' · '),
           c.id ? el('div', {}, el('a', {href: '#/customers/' + c.id, class: 'customer-link'}, t('customer.open', c.id))) : null),
      v.merged_into ? item('ticket.merged_into', el('a', {href: '#/tickets/' + enc(v.merged_into)}, v.merged_into)) : null,
      item('inbox.assignee', v.assignee || t('inbox.unassigned')),
      item('inbox.department', [v.department, v.category].filter(Boolean).join(' / ')),
      item('ticket.verdict', v.verdict ? label('verdict', v.verdict) : ''),
      item('ticket.resolution_code', v.resolution_code),
      item('ticket.received', formatTime(v.received_at))));
  }

  // The customer's other complaints on every channel and what became of them.
  function earlier(v) {
    const others = v.earlier_tickets || [];
    if (others.length === 0) return null;
    return el('section', {class: 'earlier'}, el('h2', {}, t('customer.earlier', others.length)), ticketTable(others));
  }

  // Managers: this ticket and another are one matter (the same complaint by mail and by chat).
  function mergeTicketForm(v) {
    const into = el('input', {name: 'into', required: true, placeholder: 'RD-000123'});
    const confirm = el('input', {type: 'checkbox', name: 'confirm'});
    const said = el('div', {attrs: {'aria-live': 'polite'}});
    return el('section', {class: 'merge-ticket'}, el('details', {},
      el('summary', {}, el('h2', {}, t('ticket.merge'))),
      el('form', {onsubmit: async (e) => {
        e.preventDefault();
        try {
          const answer = await post('/tickets/' + enc(v.number) + '/merge', {into: into.value.trim(), confirm: confirm.checked});
          replace(said, notice('ok', t('ticket.merged', answer.data.ticket.number)));
          go('#/tickets/' + enc(answer.data.ticket.number));
        } catch (error) {
          replace(said, notice('error', error.message));
        }
      }}, field(t('ticket.merge_into'), into), el('label', {}, confirm, ' ', t('ticket.merge_confirm')),
      el('button', {type: 'submit'}, t('ticket.merge')), said)));
  }

  function deadlines(v) {
    const rows = (v.deadlines || []).map((d) => el('li', {},
      el('span', {class: 'deadline-name'}, label('deadline', d.name)), ' ', countdown(d, v.received_at), ' ',
      el('span', {class: 'muted'}, t('ticket.due', formatTime(d.due)))));
    return el('section', {class: 'deadlines'}, el('h2', {}, t('ticket.deadlines')),
      rows.length ? el('ul', {}, rows) : el('p', {class: 'muted'}, t('ticket.no_deadlines')));
  }

  // ---- the steps
  function steps(v) {
    const panel = el('div', {class: 'step-panel'});
    const available = buttonSteps.filter((s) => v.available_steps.includes(s));
    const buttons = available.map((step) => el('button', {type: 'button', dataset: {step},
      class: step === 'signoff' || step === 'take' ? 'primary' : '',
      onclick: async () => {
        editing = true;
        replace(panel, await stepForm(step, panel));
        const firstInput = panel.querySelector('input, textarea, select, button');
        if (firstInput) firstInput.focus();
      }}, t('step.' + step)));
    return el('section', {class: 'steps'}, el('h2', {}, t('ticket.steps')),
      buttons.length ? el('div', {class: 'buttons wrap'}, buttons) : el('p', {class: 'muted'}, t('ticket.no_steps')),
      panel);
  }

  // The fields of each step, then "Continue": the letter it sends is shown before it goes.
  async function stepForm(step, panel) {
    const fields = [];
    const read = {};
    const text = (name, key, {required = true, rows = 3} = {}) => {
      const area = el('textarea', {name, rows, required});
      fields.push(field(t(key), area));
      read[name] = () => area.value;
    };
    const input = (name, key, props = {}) => {
      const node = el('input', {name, ...props});
      fields.push(field(t(key), node));
      read[name] = () => node.value;
      return node;
    };
    if (step === 'verdict') {
      const justified = el('input', {type: 'radio', name: 'verdict', value: 'justified', checked: true});
      const unjustified = el('input', {type: 'radio', name: 'verdict', value: 'unjustified'});
      const offerField = el('div', {hidden: true});
      const syncOffer = () => { offerField.hidden = !unjustified.checked; };
      justified.addEventListener('change', syncOffer);
      unjustified.addEventListener('change', syncOffer);
      fields.push(el('fieldset', {}, el('legend', {}, t('step.verdict')),
        el('label', {}, justified, ' ', t('verdict.justified')),
        el('label', {}, unjustified, ' ', t('verdict.unjustified'))));
      read.verdict = () => (unjustified.checked ? 'unjustified' : 'justified');
      text('reason', 'field.reason');
      const offer = el('textarea', {name: 'offer', rows: 2});
      append(offerField, field(t('field.offer'), offer));
      fields.push(offerField);
      read.offer = () => (unjustified.checked ? offer.value : '');
    } else if (step === 'actions') {
      const target = select([['customer', t('action.for_customer')], ['process', t('action.for_process')]], 'customer',
                            {name: 'for'});
      fields.push(field(t('field.for'), target));
      read.for = () => target.value;
      text('text', 'field.action_text');
      input('responsible', 'field.responsible', {value: session.user.name, required: true});
      const due = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
      input('due', 'field.due', {type: 'date', value: due, required: true});
    } else if (step === 'assign') {
      input('assignee', 'field.assignee', {value: '', placeholder: t('field.assignee_hint')});
    } else if (step === 'department') {
      const config = await loadWorkflow();
      if (config && config.departments.length) {
        const dept = select(config.departments.map((d) => [d.name, d.name]), view.department || config.departments[0].name,
                            {name: 'department'});
        const category = el('select', {name: 'category'});
        const fill = () => {
          const d = config.departments.find((x) => x.name === dept.value);
          replace(category, el('option', {value: ''}, '—'),
                  (d ? d.categories : []).map((c) => el('option', {value: c, selected: c === view.category}, c)));
        };
        dept.addEventListener('change', fill);
        fill();
        fields.push(field(t('field.department'), dept), field(t('field.category'), category));
        read.department = () => dept.value;
        read.category = () => category.value;
      } else {
        input('department', 'field.department', {value: view.department, required: true});
        input('category', 'field.category', {value: view.category});
      }
    } else if (step === 'resolve') {
      text('summary', 'field.summary', {rows: 4});
    } else if (step === 'signoff') {
      const config = await loadWorkflow();
      if (config && config.resolution_codes.length) {
        const code = select(config.resolution_codes.map((c) => [c.code, `${c.code} — ${c.label}`]), '', {name: 'code'});
        fields.push(field(t('field.code'), code));
        read.code = () => code.value;
      } else {
        input('code', 'field.code', {required: true});
      }
    } else if (step === 'reopen') {
      text('reason', 'field.reason');
    } else if (step === 'responded' || step === 'waiting') {
      text('note', 'field.note', {required: false});
    } else if (step === 'reclassify') {
      // Major is a complaint's severity: the choice shows only for a complaint.
      const kind = select(kinds.map((k) => [k, label('kind', k)]), view.kind, {name: 'kind'});
      const severity = select(severities.map((s) => [s, label('severity', s)]), view.severity, {name: 'severity'});
      const severityField = field(t('field.severity'), severity);
      const sync = () => { severityField.hidden = kind.value !== 'complaint'; };
      kind.addEventListener('change', sync);
      sync();
      fields.push(field(t('field.kind'), kind), severityField);
      read.kind = () => kind.value;
      read.severity = () => (kind.value === 'complaint' ? severity.value : 'normal');
      text('reason', 'field.reclassify_reason');
      fields.push(el('p', {class: 'muted'}, t('field.reclassify_hint')));
    }
    const stepStatus = el('div', {class: 'status'});
    const go = el('button', {type: 'submit', class: 'primary', dataset: {continue: step}}, t('step.continue'));
    const form = el('form', {class: 'card step-form', dataset: {step}, onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const [name, value] of Object.entries(read)) body[name] = value();
      go.disabled = true;
      await takeStep('/tickets/' + enc(view.number) + '/' + step, body, panel, stepStatus);
      go.disabled = false;
    }},
    el('h3', {}, t('step.' + step)), fields, stepStatus,
    el('div', {class: 'buttons'}, go,
       el('button', {type: 'button', onclick: () => { editing = false; replace(panel); }}, t('common.cancel'))));
    return form;
  }

  // Previews the step; when it sends a letter, shows the letter to read and edit, else takes it.
  async function takeStep(path, body, panel, stepStatus) {
    replace(status);
    replace(stepStatus);
    let preview;
    try {
      preview = await post(path, {...body, preview: true}, {ifMatch: etag});
    } catch (error) {
      return failed(error, stepStatus);
    }
    const letter = preview.data.letter;
    if (!letter) return commit(path, body, stepStatus);
    editing = true;
    replace(panel, letterDraft(letter, async (edited, sendStatus) => {
      const withLetter = edited === letter.body ? body : {...body, letter: {body: edited}};
      await commit(path, withLetter, sendStatus);
    }, () => { editing = false; replace(panel); }));
    const area = panel.querySelector('textarea');
    if (area) area.focus();
  }

  async function commit(path, body, where) {
    replace(status);
    try {
      await post(path, body, {ifMatch: etag});
      editing = false;
      await load();
      say('ok', t('ticket.done'));
    } catch (error) {
      failed(error, where);
    }
  }

  function failed(error, where) {
    replace(where, notice('error', error.message));
    if (error.status === 409 && error.body && error.body.ticket) {
      // Someone else changed it: show the ticket as it is now, with the reason.
      const message = error.message;
      draw({data: error.body.ticket, etag: '"v' + error.body.ticket.version + '"'});
      say('error', message);
    }
  }

  // The letter as the customer will get it, in their language; the body can be edited.
  function letterDraft(letter, send, cancel) {
    const body = el('textarea', {name: 'letter_body', rows: 16, value: letter.body, class: 'letter-body',
                                 spellcheck: true, attrs: {lang: letter.language}});
    const sendStatus = el('div', {class: 'status'});
    const sendButton = el('button', {type: 'submit', class: 'primary', dataset: {send: 'letter'}}, t('letter.send'));
    const item = (key, value) => value ? [el('dt', {}, t(key)), el('dd', {}, value)] : [];
    return el('form', {class: 'card letter-draft', onsubmit: async (e) => {
      e.preventDefault();
      sendButton.disabled = true;
      await send(body.value, sendStatus);
      sendButton.disabled = false;
    }},
    el('h3', {}, t('letter.preview_title')),
    el('dl', {class: 'letter-head'},
      item('letter.to', letter.recipient || t('letter.no_recipient')),
      item('letter.channel', letter.channel),
      item('letter.language', letter.language),
      item('letter.template', letter.template),
      item('letter.subject', letter.subject),
      item('letter.send_at', letter.send_at ? formatTime(letter.send_at) : '')),
    field(t('letter.body'), body, t('letter.body_hint')),
    sendStatus,
    el('div', {class: 'buttons'}, sendButton, el('button', {type: 'button', onclick: cancel}, t('common.cancel'))));
  }

  // ---- reply and notes
  function replyBox(v) {
    const area = el('textarea', {name: 'reply_text', rows: 4, required: true,
                                 oninput: () => { editing = area.value.trim() !== ''; }});
    const picker = el('select', {name: 'template'}, el('option', {value: 'reply'}, 'reply'));
    loadReplyTemplates().then((names) => replace(picker, names.map((n) => el('option', {value: n, selected: n === 'reply'}, n))));
    const panel = el('div', {class: 'reply-panel'});
    const replyStatus = el('div', {class: 'status'});
    const button = el('button', {type: 'submit', class: 'primary', dataset: {reply: 'preview'}}, t('reply.preview'));
    return el('section', {class: 'reply'}, el('h2', {}, t('reply.title')),
      el('form', {onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        const body = {text: area.value};
        if (picker.value && picker.value !== 'reply') body.template = picker.value;
        await takeStep('/tickets/' + enc(v.number) + '/reply', body, panel, replyStatus);
        button.disabled = false;
      }},
      field(t('reply.template'), picker, t('reply.template_hint')),
      field(t('reply.text'), area),
      replyStatus,
      el('div', {class: 'buttons'}, button)),
      panel);
  }

  function noteBox() {
    const area = el('textarea', {name: 'note_text', rows: 2, required: true,
                                 oninput: () => { editing = area.value.trim() !== ''; }});
    const noteStatus = el('div', {class: 'status'});
    return el('section', {class: 'note'}, el('h2', {}, t('note.title')),
      el('form', {onsubmit: async (e) => {
        e.preventDefault();
        await commit('/tickets/' + enc(view.number) + '/notes', {text: area.value}, noteStatus);
      }},
      field(t('note.text'), area, t('note.hint')), noteStatus,
      el('div', {class: 'buttons'}, el('button', {type: 'submit'}, t('note.add')))));
  }

  // ---- corrective actions
  function actions(v) {
    if (!v.actions || v.actions.length === 0) return null;
    const canUpdate = v.available_steps.includes('action');
    const rows = v.actions.map((a) => {
      const next = a.state === 'open' ? 'done' : a.state === 'done' ? 'verified' : '';
      const actionStatus = el('div', {class: 'status'});
      return el('li', {class: 'action', dataset: {state: a.state}},
        el('div', {}, el('strong', {}, label('action', 'for_' + a.for)), ': ', el('span', {class: 'text'}, a.text)),
        el('div', {class: 'muted'}, t('action.line', a.responsible, formatDate(a.due), label('action_state', a.state))),
        a.note ? el('div', {class: 'text'}, a.note) : null,
        canUpdate && next ? el('button', {type: 'button', onclick: async () => {
          await commit('/tickets/' + enc(v.number) + '/actions/' + a.id, {state: next}, actionStatus);
        }}, t('action.mark_' + next)) : null,
        actionStatus);
    });
    return el('section', {class: 'actions'}, el('h2', {}, t('ticket.actions')), el('ul', {}, rows));
  }

  // ---- the thread: the customer's messages, our letters, the internal notes, in order
  function thread(v) {
    const items = [];
    for (const m of v.messages || []) items.push({at: m.received_at, order: 0, node: messageItem(m)});
    for (const l of v.letters || []) items.push({at: l.created_at, order: 1, node: letterItem(l)});
    for (const n of v.notes || []) items.push({at: n.at, order: 2, node: noteItem(n)});
    items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
    return el('section', {class: 'thread'}, el('h2', {}, t('ticket.thread')),
      items.length ? el('ol', {class: 'thread-items'}, items.map((i) => i.node)) : el('p', {class: 'muted'}, '—'));
  }

  function messageItem(m) {
    const who = m.direction === 'in' ? t('thread.customer') : t('thread.ours');
    return el('li', {class: ['item', 'message', m.direction === 'in' ? 'from-customer' : 'from-us']},
      el('div', {class: 'item-head'}, el('strong', {}, who), ' ', el('span', {}, m.from), ' ',
         el('time', {dateTime: m.received_at}, formatTime(m.received_at))),
      m.subject ? el('div', {class: 'item-subject'}, m.subject) : null,
      el('div', {class: 'text'}, m.text),
      attachmentList(m.attachments));
  }

  // A message's or a letter's files: a kept file is a download link (the API serves it only to a
  // signed-in person, always as a download), a picture also a thumbnail (?inline=1 is honoured for
  // PNG, JPEG, GIF and WebP only); a file that was not kept says why.
  function attachmentList(files) {
    if (!files || files.length === 0) return null;
    return el('ul', {class: 'attachments', attrs: {'aria-label': t('thread.attachments')}},
      files.map((a) => {
        const name = a.filename || t('thread.unnamed');
        const facts = el('span', {class: 'muted'}, `(${a.content_type}, ${formatSize(a.size)})`);
        if (!a.stored || !a.url)
          return el('li', {class: 'not-kept'}, '📎 ', name, ' ', facts, ' ',
            a.refused ? el('span', {class: 'muted'}, t('thread.not_kept', a.refused)) : null);
        return el('li', {},
          a.image ? el('a', {href: a.url, attrs: {download: name}},
            el('img', {class: 'thumbnail', src: a.url + '?inline=1', alt: name, attrs: {loading: 'lazy'}})) : null,
          '📎 ', el('a', {href: a.url, attrs: {download: name}}, name), ' ', facts);
      }));
  }

  function letterItem(l) {
    const state = el('span', {class: ['badge', 'letter-' + l.status]}, label('letter_status', l.status));
    return el('li', {class: ['item', 'letter'], dataset: {template: l.template, status: l.status}},
      el('div', {class: 'item-head'}, el('strong', {}, t('thread.letter')), ' ', el('span', {}, l.template), ' → ',
         el('span', {}, l.recipient), ' ', state, ' ',
         el('time', {dateTime: l.created_at}, formatTime(l.created_at))),
      el('div', {class: 'item-subject'}, l.subject),
      l.status === 'sent' && l.sent_at ? el('div', {class: 'muted'}, t('thread.sent_at', formatTime(l.sent_at))) : null,
      l.status !== 'sent' && l.attempts ? el('div', {class: 'muted'}, t('thread.attempts', l.attempts)) : null,
      l.last_error ? el('div', {class: 'error-text'}, l.last_error) : null,
      l.text ? el('details', {}, el('summary', {}, t('thread.letter_text')), el('div', {class: 'text'}, l.text)) : null,
      attachmentList(l.attachments));
  }

  function noteItem(n) {
    return el('li', {class: ['item', 'internal-note']},
      el('div', {class: 'item-head'}, el('strong', {}, t('thread.note')), ' ', el('span', {}, n.author), ' ',
         el('time', {dateTime: n.at}, formatTime(n.at))),
      el('div', {class: 'text'}, n.text));
  }

  function ratings(v) {
    if (!v.ratings || v.ratings.length === 0) return null;
    return el('section', {class: 'ratings'}, el('h2', {}, t('ticket.ratings')), el('ul', {},
      v.ratings.map((r) => el('li', {}, el('strong', {}, '★ ', String(r.score), '/5'), ' ', formatTime(r.at), ' ',
        el('span', {class: 'muted'}, label('rating_source', r.source)), r.comment ? el('div', {class: 'text'}, r.comment) : null))));
  }

  function audit(v) {
    return el('section', {class: 'audit'}, el('details', {},
      el('summary', {}, el('h2', {}, t('ticket.audit', (v.audit || []).length))),
      el('table', {},
        el('thead', {}, el('tr', {}, ['audit.at', 'audit.actor', 'audit.action', 'audit.detail'].map((k) => el('th', {scope: 'col'}, t(k))))),
        el('tbody', {}, (v.audit || []).map((a) => el('tr', {},
          el('td', {dataset: {label: t('audit.at')}}, formatTime(a.at)),
          el('td', {dataset: {label: t('audit.actor')}}, a.actor),
          el('td', {dataset: {label: t('audit.action')}}, a.action),
          el('td', {dataset: {label: t('audit.detail')}, class: 'detail'},
             typeof a.detail === 'string' ? a.detail : JSON.stringify(a.detail))))))));
  }

  const poll = () => {
    if (stopped) return;
    timer = setTimeout(async () => { await load({quietly: true}); poll(); }, pollSeconds * 1000);
  };
  load().then(poll);
  return () => { stopped = true; clearTimeout(timer); };
}

function formatSize(bytes) {
  if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + ' MB';
  if (bytes >= 1024) return Math.round(bytes / 1024) + ' KB';
  return bytes + ' B';
}
