// Letter templates: every letter in every language, an editor with the placeholders it may use, a
// live preview against a chosen ticket, the checks' problems beside their lines, and the version
// history with restore. Saving and restoring are for managers; everyone may read and preview.
// Managers also see the resolution codes and departments the workflow is configured with.

import {el, replace, append, field, notice} from './dom.js';
import {get, post, put, enc, atLeast, query} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';
import {formatTime} from './time.js';

export function showTemplates(main, language, name) {
  if (language && name) return showEditor(main, language, name);
  showList(main);
  return () => {};
}

async function showList(main) {
  const status = el('div', {class: 'status'});
  replace(main, el('h1', {}, t('templates.title')), status);
  focusHeading(main);
  let templates;
  try {
    templates = (await get('/templates')).data.templates;
  } catch (error) {
    replace(status, notice('error', error.message));
    return;
  }
  const languages = [...new Set(templates.map((x) => x.language))].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
  const byName = new Map();
  for (const x of templates) {
    if (!byName.has(x.name)) byName.set(x.name, {audience: x.audience, chat: x.chat, versions: {}});
    byName.get(x.name).versions[x.language] = x;
  }
  const table = (audience, chat) => {
    const names = [...byName.keys()].filter((n) => byName.get(n).audience === audience && byName.get(n).chat === chat).sort();
    if (names.length === 0) return null;
    return el('div', {class: 'table-wrap'}, el('table', {class: 'template-grid'},
      el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, t('templates.name')),
        languages.map((l) => el('th', {scope: 'col'}, l)))),
      el('tbody', {}, names.map((n) => el('tr', {}, el('th', {scope: 'row'}, n),
        languages.map((l) => {
          const entry = byName.get(n).versions[l];
          return el('td', {dataset: {label: l}}, entry
            ? el('a', {href: `#/templates/${enc(l)}/${enc(n)}`, attrs: {'aria-label': `${n} ${l}`},
                       class: entry.version > 0 ? 'edited' : ''},
                 entry.version > 0 ? 'v' + entry.version : t('templates.shipped'))
            : el('span', {class: 'muted', attrs: {'aria-label': t('templates.missing')}}, '—'));
        }))))));
  };
  append(main,
    el('p', {}, t('templates.intro')),
    el('h2', {}, t('templates.customer')), table('customer', false),
    el('h2', {}, t('templates.chat')), table('customer', true),
    el('h2', {}, t('templates.staff')), table('staff', false));
  if (atLeast('manager')) append(main, await workflowSection());
}

async function workflowSection() {
  let config;
  try {
    config = (await get('/config/workflow')).data;
  } catch (error) {
    return notice('error', error.message);
  }
  return el('section', {class: 'workflow-config'},
    el('h2', {}, t('workflow.title')),
    el('h3', {}, t('workflow.codes')),
    el('ul', {}, config.resolution_codes.map((c) => el('li', {}, el('code', {}, c.code), ' — ', c.label))),
    el('h3', {}, t('workflow.departments')),
    config.departments.length
      ? el('ul', {}, config.departments.map((d) => el('li', {}, el('strong', {}, d.name),
          d.default_assignee ? [' — ', t('workflow.default_assignee', d.default_assignee)] : null,
          d.categories.length ? el('div', {class: 'muted'}, d.categories.join(', ')) : null)))
      : el('p', {class: 'muted'}, t('workflow.no_departments')),
    el('p', {class: 'muted'},
      t('workflow.delays', config.survey_delay, config.reopen_window, config.links_valid_after_close)));
}

function showEditor(main, language, name) {
  let stopped = false;
  let previewTimer = 0;
  let saved = '';         // the text in use now
  const path = `/templates/${enc(language)}/${enc(name)}`;
  const canSave = atLeast('manager');

  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const gutter = el('div', {class: 'gutter', attrs: {'aria-hidden': 'true'}});
  const text = el('textarea', {name: 'template_text', class: 'code', rows: 22, wrap: 'off', spellcheck: false,
                               readOnly: !canSave, attrs: {'aria-describedby': 'template-problems'}});
  const problems = el('ul', {class: 'problems', id: 'template-problems', attrs: {'aria-live': 'polite'}});
  const placeholders = el('div', {class: 'placeholders'});
  const ticketInput = el('input', {name: 'preview_ticket', attrs: {list: 'recent-tickets'}, placeholder: 'RD-000001',
                                   autocomplete: 'off', spellcheck: false});
  const recent = el('datalist', {id: 'recent-tickets'});
  const preview = el('div', {class: 'preview', attrs: {'aria-live': 'polite'}});
  const history = el('div', {class: 'history'});
  const otherLanguages = el('p', {class: 'languages'});
  const version = el('span', {class: 'muted'});

  let problemLines = new Set();
  const drawGutter = () => {
    const count = text.value.split('\n').length;
    replace(gutter, Array.from({length: count}, (_, i) =>
      el('span', {class: problemLines.has(i + 1) ? 'bad' : '', dataset: {line: i + 1}}, String(i + 1))));
    gutter.scrollTop = text.scrollTop;
  };
  const showProblems = (list) => {
    problemLines = new Set(list.filter((p) => p.line > 0).map((p) => p.line));
    replace(problems, list.map((p) => el('li', {class: 'problem', dataset: {line: p.line}},
      p.line > 0 ? el('button', {type: 'button', class: 'link', onclick: () => selectLine(p.line)}, t('templates.line', p.line))
                 : el('strong', {}, t('templates.whole')),
      ': ', p.message)));
    text.classList.toggle('invalid', list.length > 0);
    drawGutter();
  };
  const selectLine = (line) => {
    const lines = text.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1] || '').length);
  };
  const problemsOf = (error) => (error.body && Array.isArray(error.body.problems) && error.body.problems.length
    ? error.body.problems : [{line: 0, message: error.message}]);

  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener('input', () => {
    drawGutter();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, 500);
  });
  ticketInput.addEventListener('change', runPreview);

  async function runPreview() {
    const ticket = ticketInput.value.trim();
    if (stopped) return;
    if (!ticket) {
      replace(preview, el('p', {class: 'muted'}, t('templates.choose_ticket')));
      return;
    }
    try {
      const {data} = await post('/templates/preview', {language, name, text: text.value, ticket});
      if (stopped) return;
      showProblems([]);
      replace(preview, el('div', {class: 'letter-subject'}, data.letter.subject),
              el('div', {class: 'text'}, data.letter.body));
    } catch (error) {
      if (stopped) return;
      if (error.code === 'templates.invalid') {
        showProblems(problemsOf(error));
        replace(preview, el('p', {class: 'muted'}, t('templates.fix_first')));
      } else {
        replace(preview, notice('error', error.message));
      }
    }
  }

  async function save() {
    replace(status);
    try {
      const {data} = await put(path, {text: text.value});
      showProblems([]);
      replace(status, notice('ok', t('templates.saved', data.version)));
      await load();
    } catch (error) {
      if (error.code === 'templates.invalid') {
        showProblems(problemsOf(error));
        replace(preview, el('p', {class: 'muted'}, t('templates.fix_first')));
        replace(status, notice('error', t('templates.not_saved')));
      } else {
        replace(status, notice('error', error.message));
      }
    }
  }

  async function restore(number) {
    replace(status);
    try {
      const {data} = await post(path + '/restore', {version: number});
      replace(status, notice('ok', t('templates.restored', number, data.version)));
      await load();
    } catch (error) {
      replace(status, notice('error', error.message));
    }
  }

  async function load() {
    try {
      const [state, versions, list] = await Promise.all([get(path), get(path + '/versions'), get('/templates')]);
      if (stopped) return;
      saved = state.data.text;
      text.value = saved;
      version.textContent = state.data.version > 0 ? t('templates.version', state.data.version) : t('templates.shipped_file');
      replace(placeholders, state.data.placeholders.map((p) => el('button', {type: 'button', class: 'chip', disabled: !canSave,
        onclick: () => insert('{{' + p + '}}')}, p)));
      replace(otherLanguages, t('templates.other_languages'), ' ',
        list.data.templates.filter((x) => x.name === name).map((x) => x.language).sort().map((l) =>
          l === language ? el('strong', {}, l, ' ') : [el('a', {href: `#/templates/${enc(l)}/${enc(name)}`}, l), ' ']));
      drawHistory(versions.data.versions);
      showProblems([]);
      runPreview();
    } catch (error) {
      replace(status, notice('error', error.status === 404 ? t('templates.not_found') : error.message));
    }
  }

  function drawHistory(versions) {
    const shown = el('pre', {class: 'code old-version', hidden: true});
    const row = (number, author, at, body) => el('li', {},
      el('strong', {}, number > 0 ? 'v' + number : t('templates.shipped_file')), ' ',
      author ? [author, ' · ', formatTime(at), ' '] : null,
      body !== undefined ? el('button', {type: 'button', class: 'quiet', onclick: () => {
        shown.hidden = false;
        shown.textContent = body;
      }}, t('templates.show')) : null,
      canSave ? el('button', {type: 'button', class: 'quiet', dataset: {restore: number},
        onclick: () => restore(number)}, t('templates.restore')) : null);
    replace(history, el('h2', {}, t('templates.history')),
      el('ul', {class: 'history-list'}, versions.slice().reverse().map((v) => row(v.version, v.author, v.at, v.text)),
         row(0, '', '', undefined)),
      shown);
  }

  function insert(snippet) {
    const start = text.selectionStart, end = text.selectionEnd;
    text.setRangeText(snippet, start, end, 'end');
    text.focus();
    text.dispatchEvent(new Event('input'));
  }

  get('/tickets' + query({limit: 30})).then(({data}) => {
    replace(recent, data.tickets.map((x) => el('option', {value: x.number}, x.subject)));
    if (!ticketInput.value && data.tickets.length) {
      ticketInput.value = data.tickets[0].number;
      runPreview();
    }
  }).catch(() => {});

  replace(main,
    el('p', {}, el('a', {href: '#/templates'}, '← ', t('templates.title'))),
    el('h1', {}, el('code', {}, name), ' ', el('span', {class: 'muted'}, language)),
    el('p', {}, version), otherLanguages, status,
    el('div', {class: 'editor-layout'},
      el('div', {class: 'editor-main'},
        el('label', {htmlFor: 'template-text'}, t('templates.text')),
        problems,
        el('div', {class: 'editor'}, gutter, text),
        canSave ? el('div', {class: 'buttons'},
          el('button', {type: 'button', class: 'primary', dataset: {action: 'save'}, onclick: save}, t('templates.save')),
          el('button', {type: 'button', onclick: () => { text.value = saved; text.dispatchEvent(new Event('input')); }},
             t('templates.undo'))) : el('p', {class: 'muted'}, t('templates.read_only')),
        el('h2', {}, t('templates.placeholders')), el('p', {class: 'muted'}, t('templates.placeholders_hint')), placeholders),
      el('div', {class: 'editor-side'},
        el('h2', {}, t('templates.preview')),
        field(t('templates.preview_ticket'), ticketInput), recent,
        preview,
        history)));
  text.id = 'template-text';
  focusHeading(main);
  load();
  return () => { stopped = true; clearTimeout(previewTimer); };
}

