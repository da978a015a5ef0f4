// Times and the live countdowns of deadlines. A countdown starts from the seconds the daemon said
// were left when the list was read (its clock, not this computer's) and runs down from there.

import {t, lang} from './i18n.js';

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), {dateStyle: 'medium', timeStyle: 'short'}).format(date);
}

// A day (a corrective action's due date): written as a date, in UTC, where the daemon keeps it.
export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), {dateStyle: 'medium', timeZone: 'UTC'}).format(date);
}

// "2 d 4 h", "3 h 05 min", "42 min", "30 s"
export function formatDuration(seconds) {
  const s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} ${t('unit.d')} ${h} ${t('unit.h')}`;
  if (h > 0) return `${h} ${t('unit.h')} ${String(m).padStart(2, '0')} ${t('unit.min')}`;
  if (m > 0) return `${m} ${t('unit.min')}`;
  return `${s % 60} ${t('unit.s')}`;
}

// Whether a deadline is "ok", "near" (amber) or "over" (red). Near: under an hour left, or within
// the last quarter of the time from the ticket's arrival to the deadline.
export function deadlineState(secondsLeft, dueIso, startIso) {
  if (secondsLeft < 0) return 'over';
  const span = (Date.parse(dueIso) - Date.parse(startIso)) / 1000;
  if (secondsLeft < 3600 || (span > 0 && secondsLeft < span / 4)) return 'near';
  return 'ok';
}

// Every countdown on the page, refreshed once a second. A countdown is a <span> registered here
// with the seconds left at `readAt` (performance.now()).
const countdowns = new Set();
let timer = 0;

export function countdown(deadline, startIso) {
  const span = document.createElement('span');
  span.className = 'countdown';
  const entry = {span, left: deadline.seconds_left, due: deadline.due, start: startIso, paused: !!deadline.paused,
                 readAt: performance.now()};
  countdowns.add(entry);
  paint(entry);
  if (!timer) timer = setInterval(tick, 1000);
  return span;
}

function paint(entry) {
  const left = entry.paused ? entry.left : entry.left - Math.floor((performance.now() - entry.readAt) / 1000);
  const state = entry.paused ? 'paused' : deadlineState(left, entry.due, entry.start);
  entry.span.dataset.state = state;
  entry.span.dataset.secondsLeft = String(left);
  entry.span.title = formatTime(entry.due);
  entry.span.textContent = entry.paused ? t('deadline.paused', formatDuration(left))
    : left < 0 ? t('deadline.over', formatDuration(left)) : t('deadline.left', formatDuration(left));
}

function tick() {
  for (const entry of countdowns) {
    if (!entry.span.isConnected) countdowns.delete(entry);
    else paint(entry);
  }
  if (countdowns.size === 0) {
    clearInterval(timer);
    timer = 0;
  }
}
