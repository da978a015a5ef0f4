#include "words.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace redress::pages {

namespace {

// One table per language, in the order of page_languages(). Written for each language, not
// translated word by word: a customer reads these on the page about their own complaint.
const Words k_en{
    .language_name = "English",
    .languages_label = "Language",
    .not_found_title = "Not found",
    .not_found_text = "There is nothing at this address.",
    .try_later_title = "Please try again later",
    .try_later_text = "We cannot take your request just now. Please try again in a few minutes.",
    .link_expired_title = "This link has expired",
    .link_expired_text = "The complaint this link belongs to has been closed, and its page is no longer shown. If you "
                         "need to write to us about it, reply to one of our letters or send us a new message.",
    .required = "(required)",
    .send = "Send",
    .status_title = "Complaint {number}",
    .subject_label = "Subject",
    .registered_on = "Registered on",
    .stages_heading = "Where your complaint stands",
    .stage_registered = "Registered",
    .stage_investigating = "Being investigated",
    .stage_verdict = "Decision",
    .stage_action = "What will be done",
    .stage_resolved = "Resolved",
    .stage_done = "done",
    .stage_now = "now",
    .explain_registered =
        "Your complaint is registered. A person will take it up and contact you by the time given below.",
    .explain_investigating = "We are finding out what happened.",
    .explain_justified = "We found your complaint justified and are deciding how to put things right.",
    .explain_unjustified = "We looked into your complaint carefully and found that we kept our obligations. Our letter "
                           "explains what we found and what we can still offer you.",
    .explain_action = "We have decided what to do for you; you can see it below.",
    .explain_resolved = "Your complaint is resolved. If something is still wrong, write to us below.",
    .explain_closed = "Your complaint is closed. If something is still wrong, write to us below.",
    .explain_waiting = "We are waiting for your answer: please see our last letter.",
    .times_heading = "Promised times",
    .first_response_due = "A person answers you by",
    .first_responded = "A person answered you on",
    .resolution_due = "The matter is resolved by",
    .resolved_on = "Resolved on",
    .no_times = "No deadline applies to this message.",
    .actions_heading = "What we will do for you",
    .action_due = "by {date}",
    .action_done = "done",
    .letters_heading = "Letters we sent you",
    .no_letters = "None yet.",
    .messages_heading = "What you wrote to us",
    .add_heading = "Add a message",
    .message_label = "Your message",
    .message_hint = "Up to {characters} characters. It goes to the person handling your complaint.",
    .message_added = "Thank you: your message has been added to your complaint.",
    .message_added_new = "Thank you. Your complaint was closed some time ago, so your message has been registered as a "
                         "new complaint, number {number}.",
    .message_empty = "Please write your message first.",
    .message_too_long = "Your message is too long: please keep it under {characters} characters.",
    .form_expired = "The page was open for too long, so the form could not be sent. Please send it again.",
    .too_many_messages = "You have sent many messages in a short time. Please try again in an hour.",
    .complain_title = "File a complaint",
    .complain_intro =
        "Tell us what went wrong. A person reads every complaint; you get a number at once and a link to follow it.",
    .name_label = "Your name",
    .email_label = "Email",
    .phone_label = "Phone",
    .contact_hint = "Give an email address or a phone number, or both, so that we can answer you.",
    .details_label = "What happened",
    .when_label = "When did it happen",
    .when_hint = "For example: 12 March, about 3 pm",
    .reference_label = "Order or reference number, if you have one",
    .files_label = "Photos or documents",
    .files_hint = "At most {files} files, {megabytes} MB in all.",
    .honeypot_label = "Leave this field empty",
    .send_complaint = "Send complaint",
    .problem_contact = "Please give an email address or a phone number, so that we can answer you.",
    .problem_email = "Please check the email address: it should look like anna@example.org.",
    .problem_details = "Please tell us what happened.",
    .problem_too_long = "Your text is too long: please keep it under {characters} characters.",
    .problem_files_count = "Please attach at most {files} files.",
    .problem_files_size = "The files are too large: at most {megabytes} MB in all, please.",
    .problem_too_fast =
        "The form was sent very quickly after it was opened, as robots do. Please check it and send it again.",
    .problem_expired = "The form was open for too long. Please send it again.",
    .problem_honeypot = "The form could not be sent: a field that must stay empty was filled in (sometimes a browser "
                        "does this by itself). Please send it again.",
    .problem_rate =
        "Many complaints have come from your network in the last hour. Please try again later, or write to {address}.",
    .files_again = "If you attached files, please choose them again.",
    .thanks_title = "Thank you",
    .thanks_number = "Your complaint is registered under the number {number}.",
    .thanks_link = "You can follow it and add to it here; please keep this link:",
    .thanks_mail = "We have sent a confirmation to {email}.",
    .thanks_phone = "We will contact you at {phone}.",
    .thanks_no_ticket = "Thank you: your message has been received.",
    .already_sent = "This form was sent already. Your complaint's number is in the confirmation we sent you.",
    .survey_title = "Your opinion",
    .survey_heading = "How did we handle your complaint {number}?",
    .score_legend = "Your score",
    .scores = {"1 - very poor", "2 - poor", "3 - fair", "4 - good", "5 - excellent"},
    .comment_label = "Anything you want to tell us (at most {characters} characters)",
    .survey_no_score = "Please choose a score from 1 to 5.",
    .survey_too_long = "The comment is too long: please keep it under {characters} characters.",
    .survey_thanks_title = "Thank you",
    .survey_thanks = "Your answer about {number} has been recorded.",
    .survey_refused = "Your answer could not be recorded.",
};

const Words k_ru{
    .language_name = "Русский",
    .languages_label = "Язык",
    .not_found_title = "Страница не найдена",
    .not_found_text = "По этому адресу ничего нет.",
    .try_later_title = "Попробуйте позже",
    .try_later_text = "Сейчас мы не можем принять ваш запрос. Пожалуйста, попробуйте через несколько минут.",
    .link_expired_title = "Срок действия ссылки истёк",
    .link_expired_text =
        "Обращение, к которому относится эта ссылка, закрыто, и его страница больше не показывается. Если вы хотите "
        "написать нам о нём, ответьте на одно из наших писем или пришлите новое сообщение.",
    .required = "(обязательно)",
    .send = "Отправить",
    .status_title = "Жалоба {number}",
    .subject_label = "Тема",
    .registered_on = "Зарегистрирована",
    .stages_heading = "На каком этапе ваша жалоба",
    .stage_registered = "Зарегистрирована",
    .stage_investigating = "Идёт проверка",
    .stage_verdict = "Решение",
    .stage_action = "Что будет сделано",
    .stage_resolved = "Решена",
    .stage_done = "пройдено",
    .stage_now = "сейчас",
    .explain_registered = "Ваша жалоба зарегистрирована. Сотрудник возьмёт её в работу и свяжется с вами не позднее "
                          "указанного ниже срока.",
    .explain_investigating = "Мы выясняем, что произошло.",
    .explain_justified = "Мы признали вашу жалобу обоснованной и решаем, как всё исправить.",
    .explain_unjustified = "Мы внимательно проверили вашу жалобу и пришли к выводу, что свои обязательства выполнили. "
                           "В нашем письме объяснено, что мы выяснили и что всё же можем вам предложить.",
    .explain_action = "Мы решили, что сделаем для вас, — это указано ниже.",
    .explain_resolved = "Ваша жалоба решена. Если что-то по-прежнему не так, напишите нам ниже.",
    .explain_closed = "Ваша жалоба закрыта. Если что-то по-прежнему не так, напишите нам ниже.",
    .explain_waiting = "Мы ждём вашего ответа: пожалуйста, посмотрите наше последнее письмо.",
    .times_heading = "Обещанные сроки",
    .first_response_due = "Сотрудник ответит вам не позднее",
    .first_responded = "Сотрудник ответил вам",
    .resolution_due = "Вопрос будет решён не позднее",
    .resolved_on = "Решено",
    .no_times = "Для этого обращения сроки не установлены.",
    .actions_heading = "Что мы сделаем для вас",
    .action_due = "до {date}",
    .action_done = "сделано",
    .letters_heading = "Письма, которые мы вам отправили",
    .no_letters = "Пока нет.",
    .messages_heading = "Что вы нам написали",
    .add_heading = "Добавить сообщение",
    .message_label = "Ваше сообщение",
    .message_hint = "Не более {characters} символов. Сообщение получит сотрудник, который занимается вашей жалобой.",
    .message_added = "Спасибо: ваше сообщение добавлено к жалобе.",
    .message_added_new = "Спасибо. Ваша жалоба была закрыта давно, поэтому сообщение зарегистрировано как новая жалоба "
                         "под номером {number}.",
    .message_empty = "Пожалуйста, сначала напишите сообщение.",
    .message_too_long = "Сообщение слишком длинное: не более {characters} символов, пожалуйста.",
    .form_expired =
        "Страница была открыта слишком долго, и форму не удалось отправить. Пожалуйста, отправьте её ещё раз.",
    .too_many_messages = "Вы отправили много сообщений за короткое время. Пожалуйста, попробуйте через час.",
    .complain_title = "Подать жалобу",
    .complain_intro = "Расскажите, что пошло не так. Каждую жалобу читает сотрудник; вы сразу получите номер и ссылку, "
                      "по которой можно следить за ходом дела.",
    .name_label = "Ваше имя",
    .email_label = "Электронная почта",
    .phone_label = "Телефон",
    .contact_hint = "Укажите адрес электронной почты или телефон (или и то и другое), чтобы мы могли вам ответить.",
    .details_label = "Что случилось",
    .when_label = "Когда это произошло",
    .when_hint = "Например: 12 марта, около 15:00",
    .reference_label = "Номер заказа или договора, если есть",
    .files_label = "Фотографии или документы",
    .files_hint = "Не более {files} файлов, всего до {megabytes} МБ.",
    .honeypot_label = "Оставьте это поле пустым",
    .send_complaint = "Отправить жалобу",
    .problem_contact = "Пожалуйста, укажите адрес электронной почты или телефон, чтобы мы могли вам ответить.",
    .problem_email = "Пожалуйста, проверьте адрес электронной почты: он должен выглядеть как anna@example.org.",
    .problem_details = "Пожалуйста, расскажите, что случилось.",
    .problem_too_long = "Текст слишком длинный: не более {characters} символов, пожалуйста.",
    .problem_files_count = "Пожалуйста, приложите не более {files} файлов.",
    .problem_files_size = "Файлы слишком большие: всего не более {megabytes} МБ, пожалуйста.",
    .problem_too_fast = "Форма отправлена слишком быстро после открытия — так делают роботы. Пожалуйста, проверьте её "
                        "и отправьте ещё раз.",
    .problem_expired = "Форма была открыта слишком долго. Пожалуйста, отправьте её ещё раз.",
    .problem_honeypot = "Форму не удалось отправить: заполнено поле, которое должно оставаться пустым (иногда браузер "
                        "делает это сам). Пожалуйста, отправьте её ещё раз.",
    .problem_rate =
        "За последний час из вашей сети пришло много жалоб. Пожалуйста, попробуйте позже или напишите на {address}.",
    .files_again = "Если вы прикладывали файлы, выберите их, пожалуйста, ещё раз.",
    .thanks_title = "Спасибо",
    .thanks_number = "Ваша жалоба зарегистрирована под номером {number}.",
    .thanks_link = "Следить за ней и дополнять её можно здесь; сохраните эту ссылку:",
    .thanks_mail = "Мы отправили подтверждение на {email}.",
    .thanks_phone = "Мы свяжемся с вами по телефону {phone}.",
    .thanks_no_ticket = "Спасибо: ваше сообщение получено.",
    .already_sent = "Эта форма уже была отправлена. Номер вашей жалобы — в письме-подтверждении.",
    .survey_title = "Ваше мнение",
    .survey_heading = "Как мы справились с вашей жалобой {number}?",
    .score_legend = "Ваша оценка",
    .scores = {"1 — очень плохо", "2 — плохо", "3 — удовлетворительно", "4 — хорошо", "5 — отлично"},
    .comment_label = "Что вы хотели бы нам сказать (не более {characters} символов)",
    .survey_no_score = "Пожалуйста, выберите оценку от 1 до 5.",
    .survey_too_long = "Комментарий слишком длинный: не более {characters} символов, пожалуйста.",
    .survey_thanks_title = "Спасибо",
    .survey_thanks = "Ваш ответ по жалобе {number} записан.",
    .survey_refused = "Ваш ответ не удалось записать.",
};

const Words k_uk{
    .language_name = "Українська",
    .languages_label = "Мова",
    .not_found_title = "Сторінку не знайдено",
    .not_found_text = "За цією адресою нічого немає.",
    .try_later_title = "Спробуйте пізніше",
    .try_later_text = "Зараз ми не можемо прийняти ваш запит. Будь ласка, спробуйте за кілька хвилин.",
    .link_expired_title = "Термін дії посилання минув",
    .link_expired_text =
        "Звернення, до якого належить це посилання, закрито, і його сторінка більше не показується. Якщо ви хочете "
        "написати нам про нього, дайте відповідь на один із наших листів або надішліть нове повідомлення.",
    .required = "(обов’язково)",
    .send = "Надіслати",
    .status_title = "Скарга {number}",
    .subject_label = "Тема",
    .registered_on = "Зареєстровано",
    .stages_heading = "На якому етапі ваша скарга",
    .stage_registered = "Зареєстровано",
    .stage_investigating = "Триває перевірка",
    .stage_verdict = "Рішення",
    .stage_action = "Що буде зроблено",
    .stage_resolved = "Вирішено",
    .stage_done = "пройдено",
    .stage_now = "зараз",
    .explain_registered = "Вашу скаргу зареєстровано. Працівник візьме її в роботу та зв’яжеться з вами не пізніше за "
                          "вказаний нижче строк.",
    .explain_investigating = "Ми з’ясовуємо, що сталося.",
    .explain_justified = "Ми визнали вашу скаргу обґрунтованою і вирішуємо, як усе виправити.",
    .explain_unjustified = "Ми уважно перевірили вашу скаргу й дійшли висновку, що виконали свої зобов’язання. У "
                           "нашому листі пояснено, що ми з’ясували і що все ж можемо вам запропонувати.",
    .explain_action = "Ми вирішили, що зробимо для вас, — це зазначено нижче.",
    .explain_resolved = "Вашу скаргу вирішено. Якщо щось і досі не так, напишіть нам нижче.",
    .explain_closed = "Вашу скаргу закрито. Якщо щось і досі не так, напишіть нам нижче.",
    .explain_waiting = "Ми чекаємо на вашу відповідь: будь ласка, перегляньте наш останній лист.",
    .times_heading = "Обіцяні строки",
    .first_response_due = "Працівник відповість вам не пізніше",
    .first_responded = "Працівник відповів вам",
    .resolution_due = "Питання буде вирішено не пізніше",
    .resolved_on = "Вирішено",
    .no_times = "Для цього звернення строки не встановлено.",
    .actions_heading = "Що ми зробимо для вас",
    .action_due = "до {date}",
    .action_done = "зроблено",
    .letters_heading = "Листи, які ми вам надіслали",
    .no_letters = "Поки що немає.",
    .messages_heading = "Що ви нам написали",
    .add_heading = "Додати повідомлення",
    .message_label = "Ваше повідомлення",
    .message_hint = "Не більше {characters} символів. Повідомлення отримає працівник, який опікується вашою скаргою.",
    .message_added = "Дякуємо: ваше повідомлення додано до скарги.",
    .message_added_new =
        "Дякуємо. Вашу скаргу було закрито давно, тому повідомлення зареєстровано як нову скаргу під номером {number}.",
    .message_empty = "Будь ласка, спершу напишіть повідомлення.",
    .message_too_long = "Повідомлення задовге: не більше {characters} символів, будь ласка.",
    .form_expired =
        "Сторінка була відкрита надто довго, і форму не вдалося надіслати. Будь ласка, надішліть її ще раз.",
    .too_many_messages = "Ви надіслали багато повідомлень за короткий час. Будь ласка, спробуйте за годину.",
    .complain_title = "Подати скаргу",
    .complain_intro = "Розкажіть, що пішло не так. Кожну скаргу читає працівник; ви одразу отримаєте номер і "
                      "посилання, за яким можна стежити за її розглядом.",
    .name_label = "Ваше ім’я",
    .email_label = "Електронна пошта",
    .phone_label = "Телефон",
    .contact_hint = "Вкажіть адресу електронної пошти або телефон (або обидва), щоб ми могли вам відповісти.",
    .details_label = "Що сталося",
    .when_label = "Коли це сталося",
    .when_hint = "Наприклад: 12 березня, близько 15:00",
    .reference_label = "Номер замовлення або договору, якщо є",
    .files_label = "Фотографії або документи",
    .files_hint = "Не більше {files} файлів, загалом до {megabytes} МБ.",
    .honeypot_label = "Залиште це поле порожнім",
    .send_complaint = "Надіслати скаргу",
    .problem_contact = "Будь ласка, вкажіть адресу електронної пошти або телефон, щоб ми могли вам відповісти.",
    .problem_email = "Будь ласка, перевірте адресу електронної пошти: вона має виглядати як anna@example.org.",
    .problem_details = "Будь ласка, розкажіть, що сталося.",
    .problem_too_long = "Текст задовгий: не більше {characters} символів, будь ласка.",
    .problem_files_count = "Будь ласка, додайте не більше {files} файлів.",
    .problem_files_size = "Файли завеликі: загалом не більше {megabytes} МБ, будь ласка.",
    .problem_too_fast = "Форму надіслано надто швидко після відкриття — так роблять роботи. Будь ласка, перевірте її "
                        "та надішліть ще раз.",
    .problem_expired = "Форма була відкрита надто довго. Будь ласка, надішліть її ще раз.",
    .problem_honeypot = "Форму не вдалося надіслати: заповнено поле, яке має залишатися порожнім (іноді браузер робить "
                        "це сам). Будь ласка, надішліть її ще раз.",
    .problem_rate = "За останню годину з вашої мережі надійшло багато скарг. Будь ласка, спробуйте пізніше або "
                    "напишіть на {address}.",
    .files_again = "Якщо ви додавали файли, виберіть їх, будь ласка, ще раз.",
    .thanks_title = "Дякуємо",
    .thanks_number = "Вашу скаргу зареєстровано під номером {number}.",
    .thanks_link = "Стежити за нею та доповнювати її можна тут; збережіть це посилання:",
    .thanks_mail = "Ми надіслали підтвердження на {email}.",
    .thanks_phone = "Ми зв’яжемося з вами за телефоном {phone}.",
    .thanks_no_ticket = "Дякуємо: ваше повідомлення отримано.",
    .already_sent = "Цю форму вже було надіслано. Номер вашої скарги — у листі-підтвердженні.",
    .survey_title = "Ваша думка",
    .survey_heading = "Як ми впоралися з вашою скаргою {number}?",
    .score_legend = "Ваша оцінка",
    .scores = {"1 — дуже погано", "2 — погано", "3 — задовільно", "4 — добре", "5 — відмінно"},
    .comment_label = "Що ви хотіли б нам сказати (не більше {characters} символів)",
    .survey_no_score = "Будь ласка, виберіть оцінку від 1 до 5.",
    .survey_too_long = "Коментар задовгий: не більше {characters} символів, будь ласка.",
    .survey_thanks_title = "Дякуємо",
    .survey_thanks = "Вашу відповідь щодо скарги {number} записано.",
    .survey_refused = "Вашу відповідь не вдалося записати.",
};

const Words k_be{
    .language_name = "Беларуская",
    .languages_label = "Мова",
    .not_found_title = "Старонка не знойдзена",
    .not_found_text = "Па гэтым адрасе нічога няма.",
    .try_later_title = "Паспрабуйце пазней",
    .try_later_text = "Зараз мы не можам прыняць ваш запыт. Калі ласка, паспрабуйце праз некалькі хвілін.",
    .link_expired_title = "Тэрмін дзеяння спасылкі скончыўся",
    .link_expired_text =
        "Зварот, да якога адносіцца гэтая спасылка, закрыты, і яго старонка больш не паказваецца. Калі вы хочаце "
        "напісаць нам пра яго, адкажыце на адзін з нашых лістоў або дашліце новае паведамленне.",
    .required = "(абавязкова)",
    .send = "Адправіць",
    .status_title = "Скарга {number}",
    .subject_label = "Тэма",
    .registered_on = "Зарэгістравана",
    .stages_heading = "На якім этапе ваша скарга",
    .stage_registered = "Зарэгістравана",
    .stage_investigating = "Ідзе праверка",
    .stage_verdict = "Рашэнне",
    .stage_action = "Што будзе зроблена",
    .stage_resolved = "Вырашана",
    .stage_done = "пройдзена",
    .stage_now = "зараз",
    .explain_registered = "Вашу скаргу зарэгістравана. Супрацоўнік возьме яе ў працу і звяжацца з вамі не пазней за "
                          "тэрмін, пазначаны ніжэй.",
    .explain_investigating = "Мы высвятляем, што здарылася.",
    .explain_justified = "Мы прызналі вашу скаргу абгрунтаванай і вырашаем, як усё выправіць.",
    .explain_unjustified = "Мы ўважліва праверылі вашу скаргу і прыйшлі да высновы, што выканалі свае абавязацельствы. "
                           "У нашым лісце растлумачана, што мы высветлілі і што ўсё ж можам вам прапанаваць.",
    .explain_action = "Мы вырашылі, што зробім для вас, — гэта пазначана ніжэй.",
    .explain_resolved = "Вашу скаргу вырашана. Калі нешта па-ранейшаму не так, напішыце нам ніжэй.",
    .explain_closed = "Вашу скаргу закрыта. Калі нешта па-ранейшаму не так, напішыце нам ніжэй.",
    .explain_waiting = "Мы чакаем вашага адказу: калі ласка, паглядзіце наш апошні ліст.",
    .times_heading = "Абяцаныя тэрміны",
    .first_response_due = "Супрацоўнік адкажа вам не пазней за",
    .first_responded = "Супрацоўнік адказаў вам",
    .resolution_due = "Пытанне будзе вырашана не пазней за",
    .resolved_on = "Вырашана",
    .no_times = "Для гэтага звароту тэрміны не ўстаноўлены.",
    .actions_heading = "Што мы зробім для вас",
    .action_due = "да {date}",
    .action_done = "зроблена",
    .letters_heading = "Лісты, якія мы вам адправілі",
    .no_letters = "Пакуль няма.",
    .messages_heading = "Што вы нам напісалі",
    .add_heading = "Дадаць паведамленне",
    .message_label = "Ваша паведамленне",
    .message_hint = "Не больш за {characters} сімвалаў. Паведамленне атрымае супрацоўнік, які займаецца вашай скаргай.",
    .message_added = "Дзякуй: ваша паведамленне дададзена да скаргі.",
    .message_added_new =
        "Дзякуй. Вашу скаргу закрылі даўно, таму паведамленне зарэгістравана як новая скарга пад нумарам {number}.",
    .message_empty = "Калі ласка, спачатку напішыце паведамленне.",
    .message_too_long = "Паведамленне занадта доўгае: не больш за {characters} сімвалаў, калі ласка.",
    .form_expired =
        "Старонка была адкрыта занадта доўга, і форму не ўдалося адправіць. Калі ласка, адпраўце яе яшчэ раз.",
    .too_many_messages = "Вы адправілі шмат паведамленняў за кароткі час. Калі ласка, паспрабуйце праз гадзіну.",
    .complain_title = "Падаць скаргу",
    .complain_intro = "Раскажыце, што пайшло не так. Кожную скаргу чытае супрацоўнік; вы адразу атрымаеце нумар і "
                      "спасылку, па якой можна сачыць за яе разглядам.",
    .name_label = "Ваша імя",
    .email_label = "Электронная пошта",
    .phone_label = "Тэлефон",
    .contact_hint = "Пазначце адрас электроннай пошты або тэлефон (або абодва), каб мы маглі вам адказаць.",
    .details_label = "Што здарылася",
    .when_label = "Калі гэта адбылося",
    .when_hint = "Напрыклад: 12 сакавіка, каля 15:00",
    .reference_label = "Нумар заказу або дамовы, калі ёсць",
    .files_label = "Фотаздымкі або дакументы",
    .files_hint = "Не больш за {files} файлаў, разам да {megabytes} МБ.",
    .honeypot_label = "Пакіньце гэтае поле пустым",
    .send_complaint = "Адправіць скаргу",
    .problem_contact = "Калі ласка, пазначце адрас электроннай пошты або тэлефон, каб мы маглі вам адказаць.",
    .problem_email = "Калі ласка, праверце адрас электроннай пошты: ён павінен выглядаць як anna@example.org.",
    .problem_details = "Калі ласка, раскажыце, што здарылася.",
    .problem_too_long = "Тэкст занадта доўгі: не больш за {characters} сімвалаў, калі ласка.",
    .problem_files_count = "Калі ласка, дадайце не больш за {files} файлаў.",
    .problem_files_size = "Файлы занадта вялікія: разам не больш за {megabytes} МБ, калі ласка.",
    .problem_too_fast = "Форму адправілі занадта хутка пасля адкрыцця — так робяць робаты. Калі ласка, праверце яе і "
                        "адпраўце яшчэ раз.",
    .problem_expired = "Форма была адкрыта занадта доўга. Калі ласка, адпраўце яе яшчэ раз.",
    .problem_honeypot = "Форму не ўдалося адправіць: запоўнена поле, якое павінна заставацца пустым (часам браўзер "
                        "робіць гэта сам). Калі ласка, адпраўце яе яшчэ раз.",
    .problem_rate = "За апошнюю гадзіну з вашай сеткі прыйшло шмат скаргаў. Калі ласка, паспрабуйце пазней або "
                    "напішыце на {address}.",
    .files_again = "Калі вы дадавалі файлы, выберыце іх, калі ласка, яшчэ раз.",
    .thanks_title = "Дзякуй",
    .thanks_number = "Вашу скаргу зарэгістравана пад нумарам {number}.",
    .thanks_link = "Сачыць за ёй і дапаўняць яе можна тут; захавайце гэтую спасылку:",
    .thanks_mail = "Мы адправілі пацвярджэнне на {email}.",
    .thanks_phone = "Мы звяжамся з вамі па тэлефоне {phone}.",
    .thanks_no_ticket = "Дзякуй: ваша паведамленне атрымана.",
    .already_sent = "Гэтую форму ўжо адправілі. Нумар вашай скаргі — у лісце-пацвярджэнні.",
    .survey_title = "Ваша меркаванне",
    .survey_heading = "Як мы справіліся з вашай скаргай {number}?",
    .score_legend = "Ваша ацэнка",
    .scores = {"1 — вельмі дрэнна", "2 — дрэнна", "3 — здавальняюча", "4 — добра", "5 — выдатна"},
    .comment_label = "Што вы хацелі б нам сказаць (не больш за {characters} сімвалаў)",
    .survey_no_score = "Калі ласка, выберыце ацэнку ад 1 да 5.",
    .survey_too_long = "Каментарый занадта доўгі: не больш за {characters} сімвалаў, калі ласка.",
    .survey_thanks_title = "Дзякуй",
    .survey_thanks = "Ваш адказ па скарзе {number} запісаны.",
    .survey_refused = "Ваш адказ не ўдалося запісаць.",
};

const Words k_pt{
    .language_name = "Português",
    .languages_label = "Língua",
    .not_found_title = "Página não encontrada",
    .not_found_text = "Não há nada neste endereço.",
    .try_later_title = "Tente mais tarde",
    .try_later_text = "Neste momento não conseguimos receber o seu pedido. Tente novamente dentro de alguns minutos.",
    .link_expired_title = "Este link expirou",
    .link_expired_text =
        "A reclamação a que este link pertence foi encerrada e a sua página já não é mostrada. Se precisar de nos "
        "escrever sobre ela, responda a uma das nossas mensagens ou envie-nos uma nova mensagem.",
    .required = "(obrigatório)",
    .send = "Enviar",
    .status_title = "Reclamação {number}",
    .subject_label = "Assunto",
    .registered_on = "Registada em",
    .stages_heading = "Em que ponto está a sua reclamação",
    .stage_registered = "Registada",
    .stage_investigating = "Em análise",
    .stage_verdict = "Decisão",
    .stage_action = "O que vamos fazer",
    .stage_resolved = "Resolvida",
    .stage_done = "concluído",
    .stage_now = "agora",
    .explain_registered =
        "A sua reclamação está registada. Uma pessoa vai tratar dela e contactá-lo até à data indicada abaixo.",
    .explain_investigating = "Estamos a apurar o que aconteceu.",
    .explain_justified = "Considerámos a sua reclamação justificada e estamos a decidir como corrigir a situação.",
    .explain_unjustified = "Analisámos a sua reclamação com atenção e concluímos que cumprimos as nossas obrigações. A "
                           "nossa carta explica o que apurámos e o que ainda lhe podemos oferecer.",
    .explain_action = "Decidimos o que vamos fazer por si; pode vê-lo abaixo.",
    .explain_resolved = "A sua reclamação está resolvida. Se algo ainda não estiver bem, escreva-nos abaixo.",
    .explain_closed = "A sua reclamação está encerrada. Se algo ainda não estiver bem, escreva-nos abaixo.",
    .explain_waiting = "Estamos à espera da sua resposta: veja a nossa última carta.",
    .times_heading = "Prazos prometidos",
    .first_response_due = "Uma pessoa responde-lhe até",
    .first_responded = "Uma pessoa respondeu-lhe em",
    .resolution_due = "O assunto fica resolvido até",
    .resolved_on = "Resolvida em",
    .no_times = "Não há prazos para esta mensagem.",
    .actions_heading = "O que vamos fazer por si",
    .action_due = "até {date}",
    .action_done = "feito",
    .letters_heading = "Cartas que lhe enviámos",
    .no_letters = "Ainda nenhuma.",
    .messages_heading = "O que nos escreveu",
    .add_heading = "Acrescentar uma mensagem",
    .message_label = "A sua mensagem",
    .message_hint = "Até {characters} caracteres. Chega à pessoa que trata da sua reclamação.",
    .message_added = "Obrigado: a sua mensagem foi acrescentada à reclamação.",
    .message_added_new = "Obrigado. A sua reclamação foi encerrada há algum tempo, por isso a mensagem foi registada "
                         "como uma nova reclamação, com o número {number}.",
    .message_empty = "Escreva primeiro a sua mensagem.",
    .message_too_long = "A mensagem é demasiado longa: no máximo {characters} caracteres, por favor.",
    .form_expired = "A página esteve aberta demasiado tempo e o formulário não pôde ser enviado. Envie-o novamente.",
    .too_many_messages = "Enviou muitas mensagens em pouco tempo. Tente novamente daqui a uma hora.",
    .complain_title = "Apresentar uma reclamação",
    .complain_intro = "Conte-nos o que correu mal. Cada reclamação é lida por uma pessoa; recebe logo um número e uma "
                      "ligação para a acompanhar.",
    .name_label = "O seu nome",
    .email_label = "Email",
    .phone_label = "Telefone",
    .contact_hint =
        "Indique um endereço de email ou um número de telefone (ou ambos), para que lhe possamos responder.",
    .details_label = "O que aconteceu",
    .when_label = "Quando aconteceu",
    .when_hint = "Por exemplo: 12 de março, por volta das 15h",
    .reference_label = "Número da encomenda ou de referência, se tiver",
    .files_label = "Fotografias ou documentos",
    .files_hint = "No máximo {files} ficheiros, {megabytes} MB no total.",
    .honeypot_label = "Deixe este campo vazio",
    .send_complaint = "Enviar reclamação",
    .problem_contact = "Indique um endereço de email ou um número de telefone, para que lhe possamos responder.",
    .problem_email = "Verifique o endereço de email: deve ser parecido com anna@example.org.",
    .problem_details = "Conte-nos o que aconteceu.",
    .problem_too_long = "O texto é demasiado longo: no máximo {characters} caracteres, por favor.",
    .problem_files_count = "Anexe no máximo {files} ficheiros.",
    .problem_files_size = "Os ficheiros são demasiado grandes: no máximo {megabytes} MB no total, por favor.",
    .problem_too_fast = "O formulário foi enviado muito depressa depois de aberto, como fazem os robôs. Verifique-o e "
                        "envie-o novamente.",
    .problem_expired = "O formulário esteve aberto demasiado tempo. Envie-o novamente.",
    .problem_honeypot = "Não foi possível enviar o formulário: foi preenchido um campo que deve ficar vazio (por vezes "
                        "o navegador fá-lo sozinho). Envie-o novamente.",
    .problem_rate =
        "Chegaram muitas reclamações da sua rede na última hora. Tente mais tarde ou escreva para {address}.",
    .files_again = "Se anexou ficheiros, escolha-os novamente.",
    .thanks_title = "Obrigado",
    .thanks_number = "A sua reclamação foi registada com o número {number}.",
    .thanks_link = "Pode acompanhá-la e acrescentar informação aqui; guarde esta ligação:",
    .thanks_mail = "Enviámos uma confirmação para {email}.",
    .thanks_phone = "Vamos contactá-lo pelo telefone {phone}.",
    .thanks_no_ticket = "Obrigado: recebemos a sua mensagem.",
    .already_sent = "Este formulário já foi enviado. O número da sua reclamação está na confirmação que lhe enviámos.",
    .survey_title = "A sua opinião",
    .survey_heading = "Como tratámos a sua reclamação {number}?",
    .score_legend = "A sua avaliação",
    .scores = {"1 - muito mau", "2 - mau", "3 - razoável", "4 - bom", "5 - excelente"},
    .comment_label = "O que nos quiser dizer (no máximo {characters} caracteres)",
    .survey_no_score = "Escolha uma avaliação de 1 a 5.",
    .survey_too_long = "O comentário é demasiado longo: no máximo {characters} caracteres, por favor.",
    .survey_thanks_title = "Obrigado",
    .survey_thanks = "A sua resposta sobre {number} foi registada.",
    .survey_refused = "Não foi possível registar a sua resposta.",
};

const Words k_de{
    .language_name = "Deutsch",
    .languages_label = "Sprache",
    .not_found_title = "Nicht gefunden",
    .not_found_text = "Unter dieser Adresse gibt es nichts.",
    .try_later_title = "Bitte versuchen Sie es später",
    .try_later_text =
        "Wir können Ihre Anfrage gerade nicht annehmen. Bitte versuchen Sie es in ein paar Minuten noch einmal.",
    .link_expired_title = "Dieser Link ist abgelaufen",
    .link_expired_text = "Die Beschwerde, zu der dieser Link gehört, ist abgeschlossen, und ihre Seite wird nicht mehr "
                         "angezeigt. Wenn Sie uns dazu schreiben möchten, antworten Sie auf einen unserer Briefe oder "
                         "senden Sie uns eine neue Nachricht.",
    .required = "(Pflichtfeld)",
    .send = "Senden",
    .status_title = "Beschwerde {number}",
    .subject_label = "Betreff",
    .registered_on = "Erfasst am",
    .stages_heading = "Wo Ihre Beschwerde steht",
    .stage_registered = "Erfasst",
    .stage_investigating = "In Prüfung",
    .stage_verdict = "Entscheidung",
    .stage_action = "Was getan wird",
    .stage_resolved = "Erledigt",
    .stage_done = "erledigt",
    .stage_now = "jetzt",
    .explain_registered = "Ihre Beschwerde ist erfasst. Ein Mitarbeiter übernimmt sie und meldet sich bis zu dem unten "
                          "genannten Zeitpunkt bei Ihnen.",
    .explain_investigating = "Wir klären, was geschehen ist.",
    .explain_justified = "Wir halten Ihre Beschwerde für berechtigt und entscheiden, wie wir es wiedergutmachen.",
    .explain_unjustified =
        "Wir haben Ihre Beschwerde sorgfältig geprüft und festgestellt, dass wir unsere Pflichten erfüllt haben. Unser "
        "Schreiben erklärt, was wir festgestellt haben und was wir Ihnen dennoch anbieten können.",
    .explain_action = "Wir haben entschieden, was wir für Sie tun; Sie sehen es unten.",
    .explain_resolved = "Ihre Beschwerde ist erledigt. Wenn noch etwas nicht stimmt, schreiben Sie uns unten.",
    .explain_closed = "Ihre Beschwerde ist abgeschlossen. Wenn noch etwas nicht stimmt, schreiben Sie uns unten.",
    .explain_waiting = "Wir warten auf Ihre Antwort: Bitte sehen Sie sich unser letztes Schreiben an.",
    .times_heading = "Zugesagte Fristen",
    .first_response_due = "Ein Mitarbeiter antwortet Ihnen bis",
    .first_responded = "Ein Mitarbeiter hat Ihnen geantwortet am",
    .resolution_due = "Die Sache ist erledigt bis",
    .resolved_on = "Erledigt am",
    .no_times = "Für diese Nachricht gelten keine Fristen.",
    .actions_heading = "Was wir für Sie tun",
    .action_due = "bis {date}",
    .action_done = "erledigt",
    .letters_heading = "Unsere Schreiben an Sie",
    .no_letters = "Noch keine.",
    .messages_heading = "Was Sie uns geschrieben haben",
    .add_heading = "Nachricht hinzufügen",
    .message_label = "Ihre Nachricht",
    .message_hint = "Höchstens {characters} Zeichen. Sie geht an die Person, die Ihre Beschwerde bearbeitet.",
    .message_added = "Danke: Ihre Nachricht wurde Ihrer Beschwerde hinzugefügt.",
    .message_added_new = "Danke. Ihre Beschwerde wurde vor längerer Zeit abgeschlossen, daher wurde Ihre Nachricht als "
                         "neue Beschwerde mit der Nummer {number} erfasst.",
    .message_empty = "Bitte schreiben Sie zuerst Ihre Nachricht.",
    .message_too_long = "Ihre Nachricht ist zu lang: bitte höchstens {characters} Zeichen.",
    .form_expired = "Die Seite war zu lange geöffnet, daher konnte das Formular nicht gesendet werden. Bitte senden "
                    "Sie es noch einmal.",
    .too_many_messages =
        "Sie haben in kurzer Zeit viele Nachrichten gesendet. Bitte versuchen Sie es in einer Stunde noch einmal.",
    .complain_title = "Beschwerde einreichen",
    .complain_intro = "Schildern Sie uns, was schiefgelaufen ist. Jede Beschwerde liest ein Mensch; Sie erhalten "
                      "sofort eine Nummer und einen Link, unter dem Sie den Stand verfolgen können.",
    .name_label = "Ihr Name",
    .email_label = "E-Mail",
    .phone_label = "Telefon",
    .contact_hint =
        "Geben Sie eine E-Mail-Adresse oder eine Telefonnummer an (oder beides), damit wir Ihnen antworten können.",
    .details_label = "Was ist passiert",
    .when_label = "Wann ist es passiert",
    .when_hint = "Zum Beispiel: 12. März, gegen 15 Uhr",
    .reference_label = "Bestell- oder Vorgangsnummer, falls vorhanden",
    .files_label = "Fotos oder Dokumente",
    .files_hint = "Höchstens {files} Dateien, insgesamt {megabytes} MB.",
    .honeypot_label = "Lassen Sie dieses Feld leer",
    .send_complaint = "Beschwerde senden",
    .problem_contact =
        "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an, damit wir Ihnen antworten können.",
    .problem_email = "Bitte prüfen Sie die E-Mail-Adresse: Sie sollte aussehen wie anna@example.org.",
    .problem_details = "Bitte schildern Sie, was passiert ist.",
    .problem_too_long = "Ihr Text ist zu lang: bitte höchstens {characters} Zeichen.",
    .problem_files_count = "Bitte hängen Sie höchstens {files} Dateien an.",
    .problem_files_size = "Die Dateien sind zu groß: bitte insgesamt höchstens {megabytes} MB.",
    .problem_too_fast = "Das Formular wurde sehr schnell nach dem Öffnen gesendet, wie es Roboter tun. Bitte prüfen "
                        "Sie es und senden Sie es noch einmal.",
    .problem_expired = "Das Formular war zu lange geöffnet. Bitte senden Sie es noch einmal.",
    .problem_honeypot = "Das Formular konnte nicht gesendet werden: Ein Feld, das leer bleiben muss, war ausgefüllt "
                        "(manchmal tut das der Browser von selbst). Bitte senden Sie es noch einmal.",
    .problem_rate = "In der letzten Stunde kamen viele Beschwerden aus Ihrem Netz. Bitte versuchen Sie es später oder "
                    "schreiben Sie an {address}.",
    .files_again = "Wenn Sie Dateien angehängt hatten, wählen Sie sie bitte noch einmal aus.",
    .thanks_title = "Vielen Dank",
    .thanks_number = "Ihre Beschwerde ist unter der Nummer {number} erfasst.",
    .thanks_link = "Hier können Sie sie verfolgen und ergänzen; bewahren Sie diesen Link auf:",
    .thanks_mail = "Wir haben eine Bestätigung an {email} gesendet.",
    .thanks_phone = "Wir melden uns unter {phone} bei Ihnen.",
    .thanks_no_ticket = "Danke: Ihre Nachricht ist eingegangen.",
    .already_sent = "Dieses Formular wurde bereits gesendet. Die Nummer Ihrer Beschwerde steht in der Bestätigung.",
    .survey_title = "Ihre Meinung",
    .survey_heading = "Wie haben wir Ihre Beschwerde {number} bearbeitet?",
    .score_legend = "Ihre Bewertung",
    .scores = {"1 - sehr schlecht", "2 - schlecht", "3 - befriedigend", "4 - gut", "5 - sehr gut"},
    .comment_label = "Was Sie uns sagen möchten (höchstens {characters} Zeichen)",
    .survey_no_score = "Bitte wählen Sie eine Bewertung von 1 bis 5.",
    .survey_too_long = "Der Kommentar ist zu lang: bitte höchstens {characters} Zeichen.",
    .survey_thanks_title = "Vielen Dank",
    .survey_thanks = "Ihre Antwort zu {number} wurde gespeichert.",
    .survey_refused = "Ihre Antwort konnte nicht gespeichert werden.",
};

const Words k_es{
    .language_name = "Español",
    .languages_label = "Idioma",
    .not_found_title = "No encontrado",
    .not_found_text = "No hay nada en esta dirección.",
    .try_later_title = "Inténtelo más tarde",
    .try_later_text = "Ahora mismo no podemos atender su solicitud. Inténtelo de nuevo dentro de unos minutos.",
    .link_expired_title = "Este enlace ha caducado",
    .link_expired_text =
        "La reclamación a la que pertenece este enlace está cerrada y su página ya no se muestra. Si necesita "
        "escribirnos sobre ella, responda a uno de nuestros mensajes o envíenos un mensaje nuevo.",
    .required = "(obligatorio)",
    .send = "Enviar",
    .status_title = "Reclamación {number}",
    .subject_label = "Asunto",
    .registered_on = "Registrada el",
    .stages_heading = "En qué punto está su reclamación",
    .stage_registered = "Registrada",
    .stage_investigating = "En investigación",
    .stage_verdict = "Decisión",
    .stage_action = "Qué se hará",
    .stage_resolved = "Resuelta",
    .stage_done = "hecho",
    .stage_now = "ahora",
    .explain_registered = "Su reclamación está registrada. Una persona se hará cargo de ella y se pondrá en contacto "
                          "con usted antes de la fecha indicada abajo.",
    .explain_investigating = "Estamos averiguando qué ocurrió.",
    .explain_justified = "Consideramos que su reclamación está justificada y estamos decidiendo cómo solucionarlo.",
    .explain_unjustified =
        "Hemos estudiado su reclamación con atención y hemos comprobado que cumplimos nuestras obligaciones. Nuestra "
        "carta explica lo que hemos averiguado y lo que aún podemos ofrecerle.",
    .explain_action = "Hemos decidido qué haremos por usted; puede verlo abajo.",
    .explain_resolved = "Su reclamación está resuelta. Si algo sigue sin estar bien, escríbanos abajo.",
    .explain_closed = "Su reclamación está cerrada. Si algo sigue sin estar bien, escríbanos abajo.",
    .explain_waiting = "Esperamos su respuesta: consulte nuestra última carta.",
    .times_heading = "Plazos prometidos",
    .first_response_due = "Una persona le responderá antes de",
    .first_responded = "Una persona le respondió el",
    .resolution_due = "El asunto quedará resuelto antes de",
    .resolved_on = "Resuelta el",
    .no_times = "Este mensaje no tiene plazos.",
    .actions_heading = "Qué haremos por usted",
    .action_due = "antes de {date}",
    .action_done = "hecho",
    .letters_heading = "Cartas que le hemos enviado",
    .no_letters = "Todavía ninguna.",
    .messages_heading = "Lo que nos ha escrito",
    .add_heading = "Añadir un mensaje",
    .message_label = "Su mensaje",
    .message_hint = "Hasta {characters} caracteres. Lo recibirá la persona que lleva su reclamación.",
    .message_added = "Gracias: su mensaje se ha añadido a su reclamación.",
    .message_added_new = "Gracias. Su reclamación se cerró hace tiempo, así que su mensaje se ha registrado como una "
                         "nueva reclamación con el número {number}.",
    .message_empty = "Escriba primero su mensaje.",
    .message_too_long = "Su mensaje es demasiado largo: como máximo {characters} caracteres, por favor.",
    .form_expired = "La página estuvo abierta demasiado tiempo y el formulario no se pudo enviar. Envíelo de nuevo.",
    .too_many_messages = "Ha enviado muchos mensajes en poco tiempo. Inténtelo de nuevo dentro de una hora.",
    .complain_title = "Presentar una reclamación",
    .complain_intro = "Cuéntenos qué salió mal. Una persona lee cada reclamación; recibirá al momento un número y un "
                      "enlace para seguirla.",
    .name_label = "Su nombre",
    .email_label = "Correo electrónico",
    .phone_label = "Teléfono",
    .contact_hint = "Indique un correo electrónico o un teléfono (o ambos) para que podamos responderle.",
    .details_label = "Qué ocurrió",
    .when_label = "Cuándo ocurrió",
    .when_hint = "Por ejemplo: 12 de marzo, hacia las 15:00",
    .reference_label = "Número de pedido o de referencia, si lo tiene",
    .files_label = "Fotos o documentos",
    .files_hint = "Como máximo {files} archivos, {megabytes} MB en total.",
    .honeypot_label = "Deje este campo vacío",
    .send_complaint = "Enviar reclamación",
    .problem_contact = "Indique un correo electrónico o un teléfono para que podamos responderle.",
    .problem_email = "Revise el correo electrónico: debería parecerse a anna@example.org.",
    .problem_details = "Cuéntenos qué ocurrió.",
    .problem_too_long = "El texto es demasiado largo: como máximo {characters} caracteres, por favor.",
    .problem_files_count = "Adjunte como máximo {files} archivos.",
    .problem_files_size = "Los archivos son demasiado grandes: como máximo {megabytes} MB en total, por favor.",
    .problem_too_fast =
        "El formulario se envió muy poco después de abrirlo, como hacen los robots. Revíselo y envíelo de nuevo.",
    .problem_expired = "El formulario estuvo abierto demasiado tiempo. Envíelo de nuevo.",
    .problem_honeypot = "No se pudo enviar el formulario: se rellenó un campo que debe quedar vacío (a veces el "
                        "navegador lo hace solo). Envíelo de nuevo.",
    .problem_rate =
        "En la última hora han llegado muchas reclamaciones desde su red. Inténtelo más tarde o escriba a {address}.",
    .files_again = "Si adjuntó archivos, vuelva a elegirlos.",
    .thanks_title = "Gracias",
    .thanks_number = "Su reclamación está registrada con el número {number}.",
    .thanks_link = "Puede seguirla y añadir información aquí; guarde este enlace:",
    .thanks_mail = "Hemos enviado una confirmación a {email}.",
    .thanks_phone = "Le llamaremos al {phone}.",
    .thanks_no_ticket = "Gracias: hemos recibido su mensaje.",
    .already_sent = "Este formulario ya se envió. El número de su reclamación está en la confirmación que le enviamos.",
    .survey_title = "Su opinión",
    .survey_heading = "¿Cómo gestionamos su reclamación {number}?",
    .score_legend = "Su valoración",
    .scores = {"1 - muy mal", "2 - mal", "3 - regular", "4 - bien", "5 - excelente"},
    .comment_label = "Lo que quiera decirnos (como máximo {characters} caracteres)",
    .survey_no_score = "Elija una valoración del 1 al 5.",
    .survey_too_long = "El comentario es demasiado largo: como máximo {characters} caracteres, por favor.",
    .survey_thanks_title = "Gracias",
    .survey_thanks = "Su respuesta sobre {number} ha quedado registrada.",
    .survey_refused = "No se ha podido registrar su respuesta.",
};

struct Language {
    std::string_view code;
    const Words* words;
};

const std::array<Language, 7> k_languages{
    {{"en", &k_en}, {"ru", &k_ru}, {"uk", &k_uk}, {"be", &k_be}, {"pt", &k_pt}, {"de", &k_de}, {"es", &k_es}}};

// "pt-BR" -> "pt"; nullptr for a language we do not speak.
const Language* find_language(std::string_view code)
{
    std::string base = ascii_lower(trim(code.substr(0, code.find_first_of("-_"))));
    for (const auto& language : k_languages)
        if (language.code == base)
            return &language;
    return nullptr;
}

}  // namespace

const std::vector<std::string_view>& page_languages()
{
    static const std::vector<std::string_view> codes = [] {
        std::vector<std::string_view> out;
        for (const auto& language : k_languages)
            out.push_back(language.code);
        return out;
    }();
    return codes;
}

const Words& words_for(std::string_view language)
{
    const Language* found = find_language(language);
    return found != nullptr ? *found->words : k_en;
}

std::string page_language(std::string_view language)
{
    const Language* found = find_language(language);
    return std::string(found != nullptr ? found->code : "en");
}

std::string choose_language(std::optional<std::string_view> chosen, std::optional<std::string_view> accept_language,
                            std::string_view fallback)
{
    if (chosen)
        if (const Language* found = find_language(*chosen); found != nullptr)
            return std::string(found->code);
    const Language* best = nullptr;
    double best_q = 0;
    std::string_view rest = accept_language.value_or("");
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        std::string_view tag = trim(item.substr(0, item.find(';')));
        double q = 1;
        if (auto at = item.find(";q="); at != std::string_view::npos)
            q = std::strtod(std::string(trim(item.substr(at + 3))).c_str(), nullptr);
        const Language* found = tag == "*" ? nullptr : find_language(tag);
        // The first of equal weights wins: the browser lists what it prefers first.
        if (found != nullptr && q > best_q) {
            best = found;
            best_q = q;
        }
    }
    if (best != nullptr)
        return std::string(best->code);
    return page_language(fallback);
}

}  // namespace redress::pages
