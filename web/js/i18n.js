// The page's words in English and Russian. The browser's languages decide; the switch in the
// header overrides and is remembered in this browser (localStorage). Customer text is never
// translated or touched: only the page's own words are here.

const en = {
  'nav.main': 'Main', 'nav.inbox': 'Inbox', 'nav.templates': 'Templates', 'nav.people': 'People',
  'nav.profile': 'Profile', 'nav.signout': 'Sign out', 'nav.language': 'Language',
  'role.agent': 'agent', 'role.manager': 'manager', 'role.owner': 'owner',
  'common.cancel': 'Cancel', 'common.save': 'Save',
  'unit.d': 'd', 'unit.h': 'h', 'unit.min': 'min', 'unit.s': 's',
  'deadline.left': '{0} left', 'deadline.over': 'overdue by {0}', 'deadline.paused': 'paused, {0} left',
  'deadline.first_response': 'First response', 'deadline.resolution': 'Resolution',

  'signin.title': 'Sign in', 'signin.name': 'Name', 'signin.password': 'Password', 'signin.submit': 'Sign in',
  'signin.wrong': 'The name or the password is wrong.',
  'setup.title': 'Make the owner’s account',
  'setup.intro': 'Nobody has an account here yet. Choose the owner’s name and password; this link then stops working.',
  'setup.name': 'Login name', 'setup.name_hint': 'a-z, 0-9, dot, underscore and hyphen',
  'setup.password': 'Password', 'setup.password_hint': 'At least 10 characters', 'setup.again': 'Password again',
  'setup.mismatch': 'The two passwords differ.', 'setup.submit': 'Make the account and sign in',

  'inbox.title': 'Inbox', 'inbox.caption': 'Tickets, nearest deadline first', 'inbox.count': '{0} tickets',
  'inbox.search': 'Search', 'inbox.search_hint': 'Number, subject, customer or text',
  'inbox.found': 'Found in messages, letters and notes', 'inbox.found_none': 'No message, letter or note has these words.',
  'inbox.found_more': 'More results: narrow the search with another word, "a phrase" or a filter (lang:, after:).',
  'record.message': 'message', 'record.letter': 'letter', 'record.note': 'note', 'record.ticket': 'subject or name',
  'inbox.status': 'Status', 'inbox.kind': 'Kind', 'inbox.severity': 'Severity', 'inbox.language': 'Language',
  'inbox.channel': 'Channel', 'inbox.assignee': 'Assignee', 'inbox.department': 'Department',
  'inbox.deadline': 'Deadline', 'inbox.ticket': 'Ticket', 'inbox.subject': 'Subject', 'inbox.customer': 'Customer',
  'inbox.open': 'Open (nearest deadline first)', 'inbox.all': 'All (newest first)', 'inbox.any': 'Any',
  'inbox.me': 'Me', 'inbox.unassigned': 'Nobody yet', 'inbox.overdue': 'Overdue only',
  'inbox.empty': 'No tickets match.',

  'status.new': 'new', 'status.acknowledged': 'acknowledged', 'status.investigating': 'investigating',
  'status.justified': 'justified', 'status.unjustified': 'unjustified', 'status.action_planned': 'action planned',
  'status.resolved': 'resolved', 'status.closed': 'closed',
  'kind.complaint': 'complaint', 'kind.question': 'question', 'kind.suggestion': 'suggestion',
  'kind.gratitude': 'gratitude', 'kind.spam': 'spam', 'kind.automatic': 'automatic', 'kind.other': 'other',
  'severity.normal': 'normal', 'severity.major': 'MAJOR',
  'channel.email': 'email', 'channel.chat': 'chat', 'channel.phone': 'phone', 'channel.in_person': 'in person',
  'channel.web': 'web form',
  'verdict.justified': 'Justified', 'verdict.unjustified': 'Unjustified',
  'letter_status.queued': 'queued', 'letter_status.sent': 'sent', 'letter_status.failed': 'failed',
  'action.for_customer': 'For this customer', 'action.for_process': 'For the process',
  'action_state.open': 'open', 'action_state.done': 'done', 'action_state.verified': 'verified',
  'action.line': '{0}, due {1}, {2}', 'action.mark_done': 'Mark done', 'action.mark_verified': 'Mark verified',
  'rating_source.reply': 'by reply', 'rating_source.link': 'by the survey page',

  'ticket.no_subject': '(no subject)', 'ticket.not_found': 'There is no ticket {0}.', 'ticket.facts': 'About the ticket',
  'ticket.verdict': 'Verdict', 'ticket.resolution_code': 'Resolution code', 'ticket.received': 'Received',
  'ticket.deadlines': 'Deadlines', 'ticket.no_deadlines': 'No deadline runs.', 'ticket.due': 'due {0}',
  'ticket.steps': 'Next steps', 'ticket.no_steps': 'No step is open to you now.',
  'ticket.actions': 'Corrective actions', 'ticket.thread': 'Thread', 'ticket.ratings': 'Ratings',
  'ticket.audit': 'History ({0})', 'ticket.done': 'Done.',
  'ticket.changed_meanwhile': 'Someone changed this ticket meanwhile.', 'ticket.show_changes': 'Show the changes',
  'step.take': 'Take', 'step.verdict': 'Verdict', 'step.actions': 'Plan an action', 'step.assign': 'Assign',
  'step.department': 'Department', 'step.resolve': 'Resolve', 'step.signoff': 'Sign off', 'step.reopen': 'Reopen',
  'step.responded': 'Answered by phone', 'step.waiting': 'Wait for the customer', 'step.continue': 'Continue',
  'step.reclassify': 'Correct the kind', 'field.kind': 'Kind', 'field.severity': 'Severity',
  'field.reclassify_reason': 'Why the classifier was wrong',
  'field.reclassify_hint': 'Deadlines and letters follow the new kind; the message is kept as an example to train on.',
  'field.reason': 'Reason', 'field.offer': 'What we still offer', 'field.for': 'For',
  'field.action_text': 'What will be done', 'field.responsible': 'Responsible', 'field.due': 'Due',
  'field.assignee': 'Assignee', 'field.assignee_hint': 'login name; empty: back to the owner',
  'field.department': 'Department', 'field.category': 'Category', 'field.summary': 'What was done',
  'field.code': 'Resolution code', 'field.note': 'Note',
  'letter.preview_title': 'The letter, before it is sent', 'letter.to': 'To', 'letter.channel': 'Channel',
  'letter.language': 'Language', 'letter.template': 'Template', 'letter.subject': 'Subject',
  'letter.send_at': 'Goes out at', 'letter.body': 'Text', 'letter.body_hint': 'You may change the text before it goes.',
  'letter.send': 'Send', 'letter.no_recipient': 'nobody (no address): the step is recorded without a letter',
  'reply.title': 'Reply to the customer', 'reply.template': 'Start from', 'reply.text': 'Your words',
  'reply.template_hint': 'Your words go where the letter has {{reply.text}}.', 'reply.preview': 'Preview the letter',
  'note.title': 'Internal note', 'note.text': 'Note', 'note.hint': 'Staff only; never sent to the customer.',
  'note.add': 'Add the note',
  'thread.customer': 'Customer', 'thread.ours': 'Us', 'thread.letter': 'Letter', 'thread.note': 'Note',
  'thread.attachments': 'Attachments', 'thread.unnamed': '(unnamed)', 'thread.not_kept': 'not kept: {0}', 'thread.sent_at': 'sent {0}',
  'thread.attempts': '{0} attempts', 'thread.letter_text': 'Text of the letter',
  'audit.at': 'When', 'audit.actor': 'Who', 'audit.action': 'What', 'audit.detail': 'Details',

  'templates.title': 'Letter templates',
  'templates.intro': 'Every letter in every language. “shipped” is the file that comes with Redress; vN is a version saved here.',
  'templates.customer': 'Letters to customers', 'templates.chat': 'The same letters for chats',
  'templates.staff': 'Letters to staff', 'templates.name': 'Letter', 'templates.shipped': 'shipped',
  'templates.missing': 'none (the English one is used)', 'templates.text': 'Template',
  'templates.version': 'In use: version {0}', 'templates.shipped_file': 'the shipped file',
  'templates.other_languages': 'Languages:', 'templates.save': 'Save', 'templates.undo': 'Undo my changes',
  'templates.read_only': 'Only managers save templates; you may preview.',
  'templates.placeholders': 'Placeholders', 'templates.placeholders_hint': 'Click one to put it where the cursor is.',
  'templates.preview': 'Preview', 'templates.preview_ticket': 'For ticket',
  'templates.choose_ticket': 'Choose a ticket to see the letter it would get.',
  'templates.fix_first': 'Fix the problems to see the letter.', 'templates.line': 'Line {0}',
  'templates.whole': 'Template', 'templates.saved': 'Saved as version {0}; the next letter uses it.',
  'templates.not_saved': 'Not saved: the template has problems (beside their lines).',
  'templates.restored': 'Version {0} is in use again (saved as version {1}).',
  'templates.history': 'Versions', 'templates.show': 'Show', 'templates.restore': 'Restore',
  'templates.not_found': 'There is no such template.',
  'workflow.title': 'Workflow settings', 'workflow.codes': 'Resolution codes', 'workflow.departments': 'Departments',
  'workflow.default_assignee': 'new tickets go to {0}', 'workflow.no_departments': 'No departments are configured.',
  'workflow.delays': 'The survey goes out {0} after sign-off; a reply within {1} of resolution reopens a ticket; the customer\'s links expire {2} after it.',

  'people.title': 'People', 'people.name': 'Login name', 'people.display_name': 'Name in letters',
  'people.role': 'Role', 'people.email': 'Email', 'people.state': 'State', 'people.actions': 'Actions',
  'people.active': 'active', 'people.disabled': 'disabled', 'people.enable': 'Enable', 'people.disable': 'Disable',
  'people.reset_password': 'Set password', 'people.tokens': 'Tokens', 'people.changed': '{0} changed.',
  'people.new_password_for': 'New password for {0}', 'people.password_set': 'The password of {0} is set.',
  'people.add': 'Add a person', 'people.password': 'Password', 'people.add_button': 'Add',
  'people.added': '{0} can sign in now.',
  'tokens.none': 'No tokens.', 'tokens.label': 'Label', 'tokens.label_hint': 'laptop, ci, ...', 'tokens.create': 'Make a token',
  'tokens.made': 'made {0}', 'tokens.used': 'last used {0}', 'tokens.revoked': 'revoked {0}', 'tokens.revoke': 'Revoke',
  'tokens.shown_once': 'The token, shown this once:',

  'profile.title': 'Profile', 'profile.letters': 'In your letters', 'profile.signature': 'Signature',
  'profile.display_name_hint': 'What customers see as {{agent.name}}', 'profile.chat': 'Chat for notices',
  'profile.saved': 'Saved.', 'profile.password': 'Password', 'profile.old_password': 'Current password',
  'profile.new_password': 'New password', 'profile.change_password': 'Change the password',
  'profile.password_changed': 'Changed. Sign in again with the new password.',
  'customer.title': 'Customer {0}', 'customer.not_found': 'There is no customer {0}.',
  'customer.identities': 'Verified identities', 'customer.no_identities': 'None verified yet.',
  'customer.verified_by': 'verified by {0}', 'customer.suggestions': 'Suggestions',
  'customer.suggestions_hint': 'Mentioned by the customer, never linked until someone accepts them.',
  'customer.accept': 'Accept', 'customer.accepted': 'Linked as verified.',
  'customer.records': 'Records merged in', 'customer.record': 'Record {0} ({1})', 'customer.merged_by': 'merged by {0}, {1}',
  'customer.unmerge': 'Undo the merge', 'customer.unmerged': 'The merge is undone.',
  'customer.tickets': 'Tickets on every channel ({0})', 'customer.no_tickets': 'No tickets.',
  'customer.merge': 'Merge into another customer', 'customer.merge_into': 'Customer number',
  'customer.merge_hint': 'This customer joins that one; undo it here later.', 'customer.merged': 'Merged.',
  'customer.open': 'Customer {0}', 'customer.earlier': 'Earlier complaints ({0})',
  'identity.email': 'Email', 'identity.phone': 'Phone', 'identity.chat': 'Chat',
  'ticket.merged_into': 'Merged into {0}', 'ticket.merge': 'Merge into another ticket',
  'ticket.erased_on': 'Personal data erased on {0}',
  'ticket.merge_into': 'Ticket number', 'ticket.merge_confirm': 'Another customer’s ticket: one matter all the same',
  'ticket.merged': 'Merged into {0}.',
  'nav.reports': 'Reports',
  'reports.title': 'Reports', 'reports.from': 'From', 'reports.to': 'To (included)', 'reports.csv': 'Tickets as CSV',
  'reports.loading': 'Counting…', 'reports.period': '{0} to {1}, {2}', 'reports.business_time': 'business time',
  'reports.tickets': 'Tickets', 'reports.acknowledgement': 'Acknowledgement', 'reports.first_response': 'First response',
  'reports.resolution': 'Resolution', 'reports.deadlines_kept': 'Deadlines kept', 'reports.justified': 'Justified',
  'reports.satisfaction': 'Satisfaction (1–5)', 'reports.response_rate': 'Survey answered',
  'reports.open_actions': 'Open corrective actions', 'reports.overdue': '{0} overdue',
  'reports.median_p90': 'Times: median / 90th percentile.', 'reports.volume': 'Tickets over time',
  'reports.satisfaction_distribution': 'Ratings', 'reports.codes': 'Resolution codes', 'reports.by_kind': 'By kind',
  'reports.by_language': 'By language', 'reports.recurring': 'Recurring problems (rising first)',
  'reports.problem': 'Problem', 'reports.size': 'Tickets', 'reports.previous': 'Previous period',
  'reports.languages': 'Languages', 'reports.tickets_of': 'Its tickets', 'reports.rising': 'rising',
  'reports.no_recurring': 'No recurring problems in this period.', 'reports.fixes': 'Did the fix work?',
  'reports.ticket': 'Ticket', 'reports.action': 'Action', 'reports.done': 'Done', 'reports.before': 'Before',
  'reports.after': 'After', 'reports.verdict': 'Verdict', 'reports.no_fixes': 'No process fixes done around this period.',
  'reports.due': 'Due', 'reports.age': 'Age',
  'reports.verdict.worked': 'worked', 'reports.verdict.keeps_coming': 'the problem keeps coming',
  'reports.verdict.too_early': 'too early to tell', 'reports.verdict.no_problem_found': 'no recurring problem found',
};

const ru = {
  'nav.main': 'Главное', 'nav.inbox': 'Входящие', 'nav.templates': 'Шаблоны', 'nav.people': 'Сотрудники',
  'nav.profile': 'Профиль', 'nav.signout': 'Выйти', 'nav.language': 'Язык',
  'role.agent': 'сотрудник', 'role.manager': 'менеджер', 'role.owner': 'владелец',
  'common.cancel': 'Отмена', 'common.save': 'Сохранить',
  'unit.d': 'д', 'unit.h': 'ч', 'unit.min': 'мин', 'unit.s': 'с',
  'deadline.left': 'осталось {0}', 'deadline.over': 'просрочено на {0}', 'deadline.paused': 'на паузе, осталось {0}',
  'deadline.first_response': 'Первый ответ', 'deadline.resolution': 'Решение',

  'signin.title': 'Вход', 'signin.name': 'Имя', 'signin.password': 'Пароль', 'signin.submit': 'Войти',
  'signin.wrong': 'Неверное имя или пароль.',
  'setup.title': 'Учётная запись владельца',
  'setup.intro': 'Здесь ещё нет ни одной учётной записи. Выберите имя и пароль владельца; после этого ссылка перестанет работать.',
  'setup.name': 'Имя для входа', 'setup.name_hint': 'a-z, 0-9, точка, подчёркивание и дефис',
  'setup.password': 'Пароль', 'setup.password_hint': 'Не короче 10 символов', 'setup.again': 'Пароль ещё раз',
  'setup.mismatch': 'Пароли не совпадают.', 'setup.submit': 'Создать и войти',

  'inbox.title': 'Входящие', 'inbox.caption': 'Обращения, ближайший срок первым', 'inbox.count': 'Обращений: {0}',
  'inbox.search': 'Поиск', 'inbox.search_hint': 'Номер, тема, клиент или текст',
  'inbox.found': 'Найдено в сообщениях, письмах и заметках', 'inbox.found_none': 'Ни в одном сообщении, письме или заметке нет этих слов.',
  'inbox.found_more': 'Есть ещё: уточните поиск другим словом, «фразой» в кавычках или фильтром (lang:, after:).',
  'record.message': 'сообщение', 'record.letter': 'письмо', 'record.note': 'заметка', 'record.ticket': 'тема или имя',
  'inbox.status': 'Статус', 'inbox.kind': 'Тип', 'inbox.severity': 'Важность', 'inbox.language': 'Язык',
  'inbox.channel': 'Канал', 'inbox.assignee': 'Исполнитель', 'inbox.department': 'Отдел',
  'inbox.deadline': 'Срок', 'inbox.ticket': 'Обращение', 'inbox.subject': 'Тема', 'inbox.customer': 'Клиент',
  'inbox.open': 'Открытые (ближайший срок первым)', 'inbox.all': 'Все (новые первыми)', 'inbox.any': 'Любой',
  'inbox.me': 'Я', 'inbox.unassigned': 'Пока никто', 'inbox.overdue': 'Только просроченные',
  'inbox.empty': 'Нет подходящих обращений.',

  'status.new': 'новое', 'status.acknowledged': 'подтверждено', 'status.investigating': 'в работе',
  'status.justified': 'обоснованная', 'status.unjustified': 'необоснованная', 'status.action_planned': 'меры намечены',
  'status.resolved': 'решено', 'status.closed': 'закрыто',
  'kind.complaint': 'жалоба', 'kind.question': 'вопрос', 'kind.suggestion': 'предложение',
  'kind.gratitude': 'благодарность', 'kind.spam': 'спам', 'kind.automatic': 'автоответ', 'kind.other': 'другое',
  'severity.normal': 'обычная', 'severity.major': 'ВАЖНАЯ',
  'channel.email': 'почта', 'channel.chat': 'чат', 'channel.phone': 'телефон', 'channel.in_person': 'лично',
  'channel.web': 'веб-форма',
  'verdict.justified': 'Обоснованная', 'verdict.unjustified': 'Необоснованная',
  'letter_status.queued': 'в очереди', 'letter_status.sent': 'отправлено', 'letter_status.failed': 'не доставлено',
  'action.for_customer': 'Для этого клиента', 'action.for_process': 'Для процесса',
  'action_state.open': 'открыта', 'action_state.done': 'выполнена', 'action_state.verified': 'проверена',
  'action.line': '{0}, срок {1}, {2}', 'action.mark_done': 'Выполнено', 'action.mark_verified': 'Проверено',
  'rating_source.reply': 'ответом на письмо', 'rating_source.link': 'на странице опроса',

  'ticket.no_subject': '(без темы)', 'ticket.not_found': 'Обращения {0} нет.', 'ticket.facts': 'Об обращении',
  'ticket.verdict': 'Решение по жалобе', 'ticket.resolution_code': 'Код закрытия', 'ticket.received': 'Получено',
  'ticket.deadlines': 'Сроки', 'ticket.no_deadlines': 'Сроки не идут.', 'ticket.due': 'до {0}',
  'ticket.steps': 'Следующие шаги', 'ticket.no_steps': 'Сейчас вам не доступен ни один шаг.',
  'ticket.actions': 'Корректирующие меры', 'ticket.thread': 'Переписка', 'ticket.ratings': 'Оценки',
  'ticket.audit': 'История ({0})', 'ticket.done': 'Готово.',
  'ticket.changed_meanwhile': 'Кто-то изменил это обращение.', 'ticket.show_changes': 'Показать изменения',
  'step.take': 'Взять', 'step.verdict': 'Вердикт', 'step.actions': 'Наметить меру', 'step.assign': 'Назначить',
  'step.department': 'Отдел', 'step.resolve': 'Решить', 'step.signoff': 'Закрыть', 'step.reopen': 'Открыть снова',
  'step.responded': 'Ответили по телефону', 'step.waiting': 'Ждём клиента', 'step.continue': 'Далее',
  'step.reclassify': 'Исправить тип', 'field.kind': 'Тип', 'field.severity': 'Важность',
  'field.reclassify_reason': 'В чём ошибся классификатор',
  'field.reclassify_hint': 'Сроки и письма пойдут по новому типу; сообщение сохранится как пример для обучения.',
  'field.reason': 'Причина', 'field.offer': 'Что мы всё же предлагаем', 'field.for': 'Для кого',
  'field.action_text': 'Что будет сделано', 'field.responsible': 'Ответственный', 'field.due': 'Срок',
  'field.assignee': 'Исполнитель', 'field.assignee_hint': 'имя для входа; пусто — владельцу',
  'field.department': 'Отдел', 'field.category': 'Категория', 'field.summary': 'Что сделано',
  'field.code': 'Код закрытия', 'field.note': 'Заметка',
  'letter.preview_title': 'Письмо перед отправкой', 'letter.to': 'Кому', 'letter.channel': 'Канал',
  'letter.language': 'Язык', 'letter.template': 'Шаблон', 'letter.subject': 'Тема',
  'letter.send_at': 'Уйдёт', 'letter.body': 'Текст', 'letter.body_hint': 'Текст можно изменить перед отправкой.',
  'letter.send': 'Отправить', 'letter.no_recipient': 'некому (нет адреса): шаг запишется без письма',
  'reply.title': 'Ответ клиенту', 'reply.template': 'Основа', 'reply.text': 'Ваш текст',
  'reply.template_hint': 'Ваш текст встанет на место {{reply.text}}.', 'reply.preview': 'Посмотреть письмо',
  'note.title': 'Внутренняя заметка', 'note.text': 'Заметка', 'note.hint': 'Только для сотрудников; клиенту не уходит.',
  'note.add': 'Добавить заметку',
  'thread.customer': 'Клиент', 'thread.ours': 'Мы', 'thread.letter': 'Письмо', 'thread.note': 'Заметка',
  'thread.attachments': 'Вложения', 'thread.unnamed': '(без имени)', 'thread.not_kept': 'не сохранено: {0}', 'thread.sent_at': 'отправлено {0}',
  'thread.attempts': 'попыток: {0}', 'thread.letter_text': 'Текст письма',
  'audit.at': 'Когда', 'audit.actor': 'Кто', 'audit.action': 'Что', 'audit.detail': 'Подробности',

  'templates.title': 'Шаблоны писем',
  'templates.intro': 'Все письма на всех языках. «исходный» — файл из поставки Redress; vN — версия, сохранённая здесь.',
  'templates.customer': 'Письма клиентам', 'templates.chat': 'Те же письма для чатов',
  'templates.staff': 'Письма сотрудникам', 'templates.name': 'Письмо', 'templates.shipped': 'исходный',
  'templates.missing': 'нет (используется английский)', 'templates.text': 'Шаблон',
  'templates.version': 'Используется версия {0}', 'templates.shipped_file': 'исходный файл',
  'templates.other_languages': 'Языки:', 'templates.save': 'Сохранить', 'templates.undo': 'Отменить мои правки',
  'templates.read_only': 'Сохраняют шаблоны менеджеры; вы можете смотреть предпросмотр.',
  'templates.placeholders': 'Подстановки', 'templates.placeholders_hint': 'Нажмите, чтобы вставить у курсора.',
  'templates.preview': 'Предпросмотр', 'templates.preview_ticket': 'Для обращения',
  'templates.choose_ticket': 'Выберите обращение, чтобы увидеть письмо.',
  'templates.fix_first': 'Исправьте ошибки, чтобы увидеть письмо.', 'templates.line': 'Строка {0}',
  'templates.whole': 'Шаблон', 'templates.saved': 'Сохранено как версия {0}; следующее письмо пойдёт по ней.',
  'templates.not_saved': 'Не сохранено: в шаблоне ошибки (рядом с их строками).',
  'templates.restored': 'Снова используется версия {0} (сохранена как версия {1}).',
  'templates.history': 'Версии', 'templates.show': 'Показать', 'templates.restore': 'Вернуть',
  'templates.not_found': 'Такого шаблона нет.',
  'workflow.title': 'Настройки процесса', 'workflow.codes': 'Коды закрытия', 'workflow.departments': 'Отделы',
  'workflow.default_assignee': 'новые обращения получает {0}', 'workflow.no_departments': 'Отделы не настроены.',
  'workflow.delays': 'Опрос уходит через {0} после закрытия; ответ в течение {1} после решения открывает обращение снова; ссылки клиента перестают работать через {2} после него.',

  'people.title': 'Сотрудники', 'people.name': 'Имя для входа', 'people.display_name': 'Имя в письмах',
  'people.role': 'Роль', 'people.email': 'Почта', 'people.state': 'Состояние', 'people.actions': 'Действия',
  'people.active': 'активен', 'people.disabled': 'отключён', 'people.enable': 'Включить', 'people.disable': 'Отключить',
  'people.reset_password': 'Задать пароль', 'people.tokens': 'Токены', 'people.changed': '{0}: изменено.',
  'people.new_password_for': 'Новый пароль для {0}', 'people.password_set': 'Пароль {0} задан.',
  'people.add': 'Добавить сотрудника', 'people.password': 'Пароль', 'people.add_button': 'Добавить',
  'people.added': '{0} может войти.',
  'tokens.none': 'Токенов нет.', 'tokens.label': 'Метка', 'tokens.label_hint': 'ноутбук, ci, ...', 'tokens.create': 'Создать токен',
  'tokens.made': 'создан {0}', 'tokens.used': 'использован {0}', 'tokens.revoked': 'отозван {0}', 'tokens.revoke': 'Отозвать',
  'tokens.shown_once': 'Токен, показан один раз:',

  'profile.title': 'Профиль', 'profile.letters': 'В ваших письмах', 'profile.signature': 'Подпись',
  'profile.display_name_hint': 'Что клиенты видят как {{agent.name}}', 'profile.chat': 'Чат для уведомлений',
  'profile.saved': 'Сохранено.', 'profile.password': 'Пароль', 'profile.old_password': 'Текущий пароль',
  'profile.new_password': 'Новый пароль', 'profile.change_password': 'Сменить пароль',
  'profile.password_changed': 'Пароль сменён. Войдите снова с новым паролем.',
  'customer.title': 'Клиент {0}', 'customer.not_found': 'Клиента {0} нет.',
  'customer.identities': 'Подтверждённые контакты', 'customer.no_identities': 'Подтверждённых пока нет.',
  'customer.verified_by': 'подтверждено: {0}', 'customer.suggestions': 'Предложения',
  'customer.suggestions_hint': 'Клиент упомянул их сам; привязываются, только когда их примет сотрудник.',
  'customer.accept': 'Принять', 'customer.accepted': 'Привязано как подтверждённое.',
  'customer.records': 'Объединённые записи', 'customer.record': 'Запись {0} ({1})', 'customer.merged_by': 'объединил(а) {0}, {1}',
  'customer.unmerge': 'Отменить объединение', 'customer.unmerged': 'Объединение отменено.',
  'customer.tickets': 'Обращения по всем каналам ({0})', 'customer.no_tickets': 'Обращений нет.',
  'customer.merge': 'Объединить с другим клиентом', 'customer.merge_into': 'Номер клиента',
  'customer.merge_hint': 'Этот клиент присоединится к тому; отменить можно здесь же.', 'customer.merged': 'Объединено.',
  'customer.open': 'Клиент {0}', 'customer.earlier': 'Прежние обращения ({0})',
  'identity.email': 'Почта', 'identity.phone': 'Телефон', 'identity.chat': 'Чат',
  'ticket.merged_into': 'Объединено с {0}', 'ticket.merge': 'Объединить с другим обращением',
  'ticket.erased_on': 'Персональные данные стёрты {0}',
  'ticket.merge_into': 'Номер обращения', 'ticket.merge_confirm': 'Обращение другого клиента, но дело одно',
  'ticket.merged': 'Объединено с {0}.',
  'nav.reports': 'Отчёты',
  'reports.title': 'Отчёты', 'reports.from': 'С', 'reports.to': 'По (включительно)', 'reports.csv': 'Обращения в CSV',
  'reports.loading': 'Считаем…', 'reports.period': 'с {0} по {1}, {2}', 'reports.business_time': 'рабочее время',
  'reports.tickets': 'Обращений', 'reports.acknowledgement': 'Подтверждение', 'reports.first_response': 'Первый ответ',
  'reports.resolution': 'Решение', 'reports.deadlines_kept': 'Сроки соблюдены', 'reports.justified': 'Обоснованы',
  'reports.satisfaction': 'Удовлетворённость (1–5)', 'reports.response_rate': 'Ответили на опрос',
  'reports.open_actions': 'Открытые корректирующие меры', 'reports.overdue': 'просрочено: {0}',
  'reports.median_p90': 'Время: медиана / 90-й перцентиль.', 'reports.volume': 'Обращения по времени',
  'reports.satisfaction_distribution': 'Оценки', 'reports.codes': 'Коды решения', 'reports.by_kind': 'По видам',
  'reports.by_language': 'По языкам', 'reports.recurring': 'Повторяющиеся проблемы (растущие сначала)',
  'reports.problem': 'Проблема', 'reports.size': 'Обращений', 'reports.previous': 'Прошлый период',
  'reports.languages': 'Языки', 'reports.tickets_of': 'Её обращения', 'reports.rising': 'растёт',
  'reports.no_recurring': 'За этот период повторяющихся проблем нет.', 'reports.fixes': 'Сработала ли мера?',
  'reports.ticket': 'Обращение', 'reports.action': 'Мера', 'reports.done': 'Выполнена', 'reports.before': 'До',
  'reports.after': 'После', 'reports.verdict': 'Итог', 'reports.no_fixes': 'Вблизи этого периода мер по процессу не выполняли.',
  'reports.due': 'Срок', 'reports.age': 'Возраст',
  'reports.verdict.worked': 'сработала', 'reports.verdict.keeps_coming': 'проблема продолжается',
  'reports.verdict.too_early': 'рано судить', 'reports.verdict.no_problem_found': 'повторяющейся проблемы не найдено',
};

const dictionaries = {en, ru};
export const languages = [{code: 'en', name: 'English'}, {code: 'ru', name: 'Русский'}];
const storageKey = 'redress.language';

function chosen() {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored && dictionaries[stored]) return stored;
  } catch {
    // Storage may be off; the browser's languages still decide.
  }
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (dictionaries[base]) return base;
  }
  return 'en';
}

let current = chosen();

export function lang() {
  return current;
}

export function setLang(code) {
  if (!dictionaries[code]) return;
  current = code;
  try {
    localStorage.setItem(storageKey, code);
  } catch {
    // Remembered for this page only.
  }
}

// The text of a key in the current language (English when the language lacks it), with {0}, {1}
// filled from the arguments. An unknown key comes back as itself.
export function t(key, ...args) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (whole, n) => (args[Number(n)] !== undefined ? String(args[Number(n)]) : whole));
}

// Every key in one language is in the other (the browser test checks this).
export function missingKeys() {
  const out = [];
  for (const [code, dict] of Object.entries(dictionaries))
    for (const key of Object.keys(en)) if (!(key in dict)) out.push(code + ':' + key);
  for (const key of Object.keys(ru)) if (!(key in en)) out.push('en:' + key);
  return out;
}
