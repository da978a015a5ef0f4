// The Reports view (managers and the owner): the figures of a period from GET /reports/summary, the
// volume over time and the distributions as SVG charts (charts.js), the recurring problems with
// their tickets, whether the process fixes worked, the open corrective actions, and the CSV export.

import {el, replace, field, select, notice} from './dom.js';
import {get, query} from './api.js';
import {t} from './i18n.js';
import {focusHeading} from './nav.js';
import {kinds, channels, severities, customerLanguages, label} from './labels.js';
import {formatDuration, formatDate} from './time.js';
import {barChart, hbarChart} from './charts.js';

// The filters stay while the page is open.
const filters = {from: '', to: '', kind: '', channel: '', language: '', severity: '', department: ''};

function span(seconds) {
  return seconds === null || seconds === undefined ? '–' : formatDuration(seconds);
}

function percent(share) {
  return share === null || share === undefined ? '–' : Math.round(share * 100) + '%';
}

function figure(key, value, name) {
  return el('div', {class: 'figure', dataset: {figure: name}}, el('dt', {}, t(key)), el('dd', {}, value));
}

function table(caption, headers, rows, name) {
  return el('table', {class: 'report', dataset: {table: name}},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col'}, h)))),
    el('tbody', {}, rows));
}

function ticketLinks(numbers) {
  const shown = numbers.slice(0, 12);
  return [shown.map((n, i) => [i ? ', ' : '', el('a', {href: '#/tickets/' + encodeURIComponent(n)}, n)]),
    numbers.length > shown.length ? ` … (+${numbers.length - shown.length})` : ''];
}

function draw(body, s) {
  const volume = s.volume.buckets.map((b) => ({label: b.from, short: s.volume.unit === 'month' ? b.from : b.from.slice(5),
                                               value: b.tickets}));
  const ratings = ['1', '2', '3', '4', '5'].map((r) => ({label: '★ ' + r, value: s.satisfaction_distribution[r]}));
  const codes = Object.entries(s.resolution_codes).map(([code, n]) => ({label: code, value: n}));
  const byKind = Object.entries(s.by_kind).map(([k, n]) => ({label: label('kind', k), value: n}));
  const byLanguage = Object.entries(s.by_language).map(([k, n]) => ({label: k, value: n}));

  replace(body,
    el('p', {class: 'muted period'}, t('reports.period', s.period.from, s.period.to, s.period.time_zone),
      s.period.business_time ? ' · ' + t('reports.business_time') : ''),
    el('dl', {class: 'figures'},
      figure('reports.tickets', s.tickets, 'tickets'),
      figure('reports.acknowledgement', `${span(s.acknowledgement_median_s)} / ${span(s.acknowledgement_p90_s)}`, 'acknowledgement'),
      figure('reports.first_response', `${span(s.first_response_median_s)} / ${span(s.first_response_p90_s)}`, 'first_response'),
      figure('reports.resolution', `${span(s.resolution_median_s)} / ${span(s.resolution_p90_s)}`, 'resolution'),
      figure('reports.deadlines_kept', percent(s.deadlines_kept_share), 'deadlines_kept'),
      figure('reports.justified', percent(s.justified_share), 'justified'),
      figure('reports.satisfaction', s.satisfaction_avg === null ? '–' : s.satisfaction_avg.toFixed(1), 'satisfaction'),
      figure('reports.response_rate', percent(s.satisfaction_response_rate), 'response_rate'),
      figure('reports.open_actions', `${s.open_actions.count} (${t('reports.overdue', s.open_actions.overdue)})`, 'open_actions')),
    el('p', {class: 'muted hint'}, t('reports.median_p90')),
    el('section', {class: 'chart-box'}, el('h3', {}, t('reports.volume')),
      barChart(volume, {title: t('reports.volume'), name: 'volume'})),
    el('div', {class: 'charts'},
      el('section', {class: 'chart-box'}, el('h3', {}, t('reports.satisfaction_distribution')),
        hbarChart(ratings, {title: t('reports.satisfaction_distribution'), name: 'satisfaction'})),
      el('section', {class: 'chart-box'}, el('h3', {}, t('reports.codes')),
        codes.length ? hbarChart(codes, {title: t('reports.codes'), name: 'codes'}) : el('p', {class: 'muted'}, '–')),
      el('section', {class: 'chart-box'}, el('h3', {}, t('reports.by_kind')),
        hbarChart(byKind, {title: t('reports.by_kind'), name: 'kinds'})),
      el('section', {class: 'chart-box'}, el('h3', {}, t('reports.by_language')),
        hbarChart(byLanguage, {title: t('reports.by_language'), name: 'languages'}))),
    s.recurring.length
      ? table(t('reports.recurring'), [t('reports.problem'), t('reports.size'), t('reports.previous'), t('reports.languages'),
                                       t('reports.tickets_of')],
        s.recurring.map((g) => el('tr', {class: g.rising ? 'rising' : '', dataset: {rising: g.rising}},
          el('td', {}, g.name, g.rising ? el('span', {class: 'badge rising'}, ' ↑ ' + t('reports.rising')) : ''),
          el('td', {class: 'num'}, g.size), el('td', {class: 'num'}, g.previous), el('td', {}, g.languages.join(', ')),
          el('td', {}, ticketLinks(g.tickets)))), 'recurring')
      : el('p', {class: 'muted'}, t('reports.no_recurring')),
    s.actions.length
      ? table(t('reports.fixes'), [t('reports.ticket'), t('reports.action'), t('reports.done'), t('reports.problem'),
                                   t('reports.before'), t('reports.after'), t('reports.verdict')],
        s.actions.map((a) => el('tr', {class: a.keeps_coming ? 'keeps-coming' : '', dataset: {verdict: a.verdict}},
          el('td', {}, el('a', {href: '#/tickets/' + encodeURIComponent(a.ticket)}, a.ticket)), el('td', {}, a.text),
          el('td', {}, formatDate(a.done_at)), el('td', {}, a.problem ?? '–'), el('td', {class: 'num'}, a.before),
          el('td', {class: 'num'}, a.after), el('td', {}, t('reports.verdict.' + a.verdict)))), 'fixes')
      : el('p', {class: 'muted'}, t('reports.no_fixes')),
    s.open_actions.items.length
      ? table(t('reports.open_actions'), [t('reports.ticket'), t('reports.action'), t('reports.due'), t('reports.age')],
        s.open_actions.items.map((a) => el('tr', {class: a.overdue ? 'overdue' : ''},
          el('td', {}, el('a', {href: '#/tickets/' + encodeURIComponent(a.ticket)}, a.ticket)), el('td', {}, a.text),
          el('td', {}, formatDate(a.due)), el('td', {}, formatDuration(a.age_s)))), 'open_actions')
      : null);
}

export function showReports(main) {
  let stopped = false;
  const status = el('div', {class: 'status', attrs: {'aria-live': 'polite'}});
  const body = el('div', {class: 'report-body'});
  const csv = el('a', {class: 'button quiet', download: 'tickets.csv'}, t('reports.csv'));
  const input = (name, type = 'date') => el('input', {type, value: filters[name], name,
                                                      onchange: (e) => { filters[name] = e.target.value; load(); }});
  const choose = (name, group, values) => select([['', t('inbox.any')], ...values.map((v) => [v, group ? label(group, v) : v])],
    filters[name], {name, onchange: (e) => { filters[name] = e.target.value; load(); }});

  const load = async () => {
    const params = query(filters);
    csv.href = '/api/v1/reports/tickets.csv' + params;
    replace(status, el('p', {class: 'muted'}, t('reports.loading')));
    try {
      const {data} = await get('/reports/summary' + params);
      if (stopped) return;
      replace(status);
      draw(body, data);
    } catch (error) {
      if (stopped) return;
      replace(status, notice('error', error.message));
    }
  };

  replace(main,
    el('h1', {tabIndex: -1}, t('reports.title')),
    el('form', {class: 'filters report-filters', onsubmit: (e) => { e.preventDefault(); load(); }},
      field(t('reports.from'), input('from')), field(t('reports.to'), input('to')),
      field(t('inbox.kind'), choose('kind', 'kind', kinds)), field(t('inbox.channel'), choose('channel', 'channel', channels)),
      field(t('inbox.language'), choose('language', '', customerLanguages)),
      field(t('inbox.severity'), choose('severity', 'severity', severities)),
      field(t('inbox.department'), input('department', 'text')), csv),
    status, body);
  focusHeading(main);
  load();
  return () => { stopped = true; };
}
