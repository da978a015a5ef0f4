// Names the API uses, as people read them, and small pieces the views share.

import {el} from './dom.js';
import {t} from './i18n.js';
import {countdown} from './time.js';

export const statuses = ['new', 'acknowledged', 'investigating', 'justified', 'unjustified', 'action_planned',
                         'resolved', 'closed'];
export const kinds = ['complaint', 'question', 'suggestion', 'gratitude', 'spam', 'automatic', 'other'];
export const severities = ['normal', 'major'];
export const channels = ['email', 'chat', 'phone', 'in_person', 'web'];
export const customerLanguages = ['en', 'ru', 'uk', 'be', 'pt', 'de', 'es'];

export function label(group, value) {
  if (value === '' || value === null || value === undefined) return '';
  const key = group + '.' + value;
  const text = t(key);
  return text === key ? String(value) : text;
}

export function severityBadge(severity) {
  return el('span', {class: ['badge', 'severity-' + severity]}, label('severity', severity));
}

export function statusBadge(status) {
  return el('span', {class: ['badge', 'status-' + status]}, label('status', status));
}

export function customerText(customer) {
  if (!customer) return '';
  return customer.name || customer.email || customer.phone || customer.chat || '';
}

// The nearest deadline still running, with its live countdown; a dash when none runs.
export function nearestDeadline(ticket) {
  const running = (ticket.deadlines || []).slice().sort((a, b) => a.seconds_left - b.seconds_left);
  if (running.length === 0) return el('span', {class: 'muted'}, '—');
  const d = running[0];
  return el('span', {class: 'deadline'}, el('span', {class: 'deadline-name'}, label('deadline', d.name)), ' ',
            countdown(d, ticket.received_at));
}
