// The words of the public pages, in English and German (any other locale falls back to English).
// Kept apart from the markup so a language is added by adding one object of the same shape.
import type { ChannelName, Purpose, Survey } from '../../core/domain.js';
import type { OptionalChannel, Topic } from '../../core/listening/types.js';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `de-AT`, `de_DE`, `DE` -> de; anything unknown or missing -> en. */
export function languageOf(locale: string | null | undefined): Language {
  const primary = (locale ?? '').trim().slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === primary) ?? 'en';
}

/** The first supported language of an Accept-Language header (pages with no customer behind them). */
export function languageOfHeader(header: string | undefined): Language {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim() ?? '';
    const primary = tag.slice(0, 2).toLowerCase();
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return 'en';
}

export interface Texts {
  lang: Language;
  notFoundTitle: string;
  notFound: string;
  expiredTitle: string;
  expired: string;
  badRequestTitle: string;
  contactsTitle: string;
  writeTo: (email: string) => string;
  callUs: (phone: string) => string;
  escalate: (name: string, email: string) => string;
  replyToAnyMail: string;
  unsubscribeTitle: string;
  unsubscribeExplain: string;
  unsubscribeStill: string;
  unsubscribeAlready: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribedDone: string;
  unsubscribedOneClick: string;
  preferencesLink: string;
  preferencesTitle: string;
  preferencesIntro: string;
  topicsLegend: string;
  topics: Record<Topic, string>;
  channelsLegend: string;
  channels: Record<OptionalChannel, string>;
  pauseLegend: string;
  pauseNone: string;
  pause30: string;
  pauseKeep: (until: string) => string;
  transactionalNote: string;
  saveButton: string;
  saved: string;
  unknownChoice: (field: string, value: string) => string;
  surveyTitle: string;
  surveyQuestion: Record<Survey, (business: string) => string>;
  surveyLow: Record<Survey, string>;
  surveyHigh: Record<Survey, string>;
  commentLabel: string;
  sendButton: string;
  thanksTitle: string;
  thanks: string;
  thanksLow: string;
  changeAnswer: string;
  badScore: (survey: Survey, first: number, last: number) => string;
  commentTooLong: (max: number) => string;
  planTitle: string;
  planOrder: (orderId: string, placed: string) => string;
  planHappened: string;
  planNothingYet: string;
  planNext: string;
  planNothingNext: string;
  planTimesIn: (zone: string) => string;
  planUnsubscribed: string;
  planSent: (when: string) => string;
  planDue: (when: string) => string;
  meetingsTitle: string;
  meetingsIcs: string;
  planHelpTitle: string;
  planPreferencesTitle: string;
  planPreferences: string;
  /** What a step is, by its key in the default playbooks. */
  steps: Record<string, string>;
  /** Fallbacks by channel and purpose, then by channel. */
  kinds: Partial<Record<`${ChannelName}:${Purpose}` | ChannelName, string>>;
  meetingObjectives: Record<string, string>;
  meetingObjective: string;
  meetingTitle: (business: string) => string;
  helpTitle: string;
  helpIntro: string;
}

const en: Texts = {
  lang: 'en',
  notFoundTitle: 'Link not found',
  notFound: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
  expiredTitle: 'Link expired',
  expired: 'This link has expired. The newest e-mail from us has a fresh one, or write to us below.',
  badRequestTitle: 'Please check your answer',
  contactsTitle: 'Need help?',
  writeTo: (email) => `Write to ${email}`,
  callUs: (phone) => `or call ${phone}`,
  escalate: (name, email) =>
    `If something is not sorted out quickly enough, write to ${name} directly: ${email}`,
  replyToAnyMail: 'You can also simply reply to any of our e-mails; a person reads every answer.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeExplain:
    'If you unsubscribe, we stop sending you optional e-mails: check-ins, tips, offers and news.',
  unsubscribeStill:
    'Messages you need about your orders still come: order confirmations, shipping and delivery updates.',
  unsubscribeAlready: 'You are already unsubscribed.',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedDone: 'We will not send you optional e-mails any more. Messages about your orders still come.',
  unsubscribedOneClick: 'You are unsubscribed.',
  preferencesLink: 'Rather choose what you get? Set your preferences',
  preferencesTitle: 'Your preferences',
  preferencesIntro: 'Choose what you would like to hear from us.',
  topicsLegend: 'Topics',
  topics: {
    checkins: 'Check-ins: we make sure all is well after your purchase',
    education: 'Tips and guides for what you bought',
    offers: 'Offers',
    news: 'News',
  },
  channelsLegend: 'Channels',
  channels: { email: 'E-mail', sms: 'Text messages (SMS)' },
  pauseLegend: 'Take a break',
  pauseNone: 'No break',
  pause30: 'Pause everything optional for 30 days',
  pauseKeep: (until) => `Keep my break until ${until}`,
  transactionalNote:
    'Messages about your orders (confirmations, shipping, delivery) are not optional and always come.',
  saveButton: 'Save my choices',
  saved: 'Saved. This is what you will get from now on.',
  unknownChoice: (field, value) => `"${value}" is not a choice for ${field}.`,
  surveyTitle: 'A quick question',
  surveyQuestion: {
    csat: () => 'How happy are you with your purchase so far?',
    nps: (business) => `How likely are you to recommend ${business} to a friend or colleague?`,
  },
  surveyLow: { csat: '1 = not happy', nps: '0 = not likely' },
  surveyHigh: { csat: '5 = very happy', nps: '10 = very likely' },
  commentLabel: 'Anything you would like to tell us? (optional)',
  sendButton: 'Send my answer',
  thanksTitle: 'Thank you',
  thanks: 'Thank you for your answer. It helps us look after you and others.',
  thanksLow:
    'We are sorry it is not better. Tell us what went wrong (reply to our e-mail or write to us below) and we will put it right.',
  changeAnswer: 'Changed your mind? Open the same link again; your latest answer counts.',
  badScore: (_survey, first, last) => `Please choose a score from ${first} to ${last}.`,
  commentTooLong: (max) => `Your comment is longer than ${max} characters; please shorten it.`,
  planTitle: 'Your plan',
  planOrder: (orderId, placed) => `Order ${orderId}, placed ${placed}`,
  planHappened: 'What has happened',
  planNothingYet: 'Nothing yet.',
  planNext: 'What comes next',
  planNothingNext: 'Nothing more is planned for this order.',
  planTimesIn: (zone) => `Times are in your time zone (${zone}).`,
  planUnsubscribed: 'You are unsubscribed: only messages about your order come.',
  planSent: (when) => `sent ${when}`,
  planDue: (when) => `planned for ${when}`,
  meetingsTitle: 'Meetings',
  meetingsIcs: 'Add the meetings to your calendar (.ics)',
  planHelpTitle: 'Help and escalation',
  planPreferencesTitle: 'Your preferences',
  planPreferences: 'Choose what you hear from us',
  steps: {
    'thank-you': 'A thank-you e-mail with what happens next',
    'order-shipped': 'An e-mail with the carrier and tracking link when your order ships',
    'delay-apology': 'An e-mail if your delivery is late, with what we are doing about it',
    'arrival-check': 'An e-mail to check that everything arrived well',
    'arrival-call': 'A call from us to check that everything arrived well',
    'usage-tips': 'A few tips to get the most out of your purchase',
    'checkin-week': 'A check-in after a week: how is it going?',
    'customer-story': 'How another customer got on with it',
    'checkin-month': 'A check-in after a month',
    'month-call': 'A call from your account manager',
    'insider-offer': 'An early look at something new, for customers',
    'checkup-meeting': 'A check-up meeting to review how it is working',
    'renewal-heads-up': 'A heads-up before your renewal, with how to change or cancel',
    'renewal-call': 'A call from your account manager before your renewal',
  },
  kinds: {
    'email:transactional': 'An e-mail about your order',
    'email:reassurance': 'A check-in e-mail',
    'email:education': 'An e-mail with tips',
    'email:offer': 'An e-mail with an offer',
    'sms:transactional': 'A text message about your order',
    sms: 'A text message',
    'task:call': 'A call from us',
    'task:meeting': 'A meeting with us',
    email: 'An e-mail from us',
  },
  meetingObjectives: {
    'checkup-meeting':
      'We review together how it is working for you, answer questions and agree on anything that should change.',
  },
  meetingObjective: 'We review together how everything is working for you.',
  meetingTitle: (business) => `Meeting with ${business}`,
  helpTitle: 'Help and contacts',
  helpIntro: 'We are here if you have a question or something is not right.',
};

const de: Texts = {
  lang: 'de',
  notFoundTitle: 'Link nicht gefunden',
  notFound:
    'Dieser Link ist nicht gültig. Bitte verwenden Sie den Link aus Ihrer E-Mail genau so, wie er gesendet wurde.',
  expiredTitle: 'Link abgelaufen',
  expired:
    'Dieser Link ist abgelaufen. Unsere neueste E-Mail enthält einen neuen, oder schreiben Sie uns unten.',
  badRequestTitle: 'Bitte prüfen Sie Ihre Antwort',
  contactsTitle: 'Brauchen Sie Hilfe?',
  writeTo: (email) => `Schreiben Sie an ${email}`,
  callUs: (phone) => `oder rufen Sie ${phone} an`,
  escalate: (name, email) =>
    `Wenn etwas nicht schnell genug gelöst wird, schreiben Sie direkt an ${name}: ${email}`,
  replyToAnyMail:
    'Sie können auch einfach auf eine unserer E-Mails antworten; jede Antwort liest ein Mensch.',
  unsubscribeTitle: 'Abmelden',
  unsubscribeExplain:
    'Wenn Sie sich abmelden, senden wir Ihnen keine optionalen E-Mails mehr: Nachfragen, Tipps, Angebote und Neuigkeiten.',
  unsubscribeStill:
    'Nachrichten, die Sie zu Ihren Bestellungen brauchen, kommen weiterhin: Bestellbestätigungen, Versand- und Lieferinformationen.',
  unsubscribeAlready: 'Sie sind bereits abgemeldet.',
  unsubscribeButton: 'Abmelden',
  unsubscribedTitle: 'Sie sind abgemeldet',
  unsubscribedDone:
    'Wir senden Ihnen keine optionalen E-Mails mehr. Nachrichten zu Ihren Bestellungen kommen weiterhin.',
  unsubscribedOneClick: 'Sie sind abgemeldet.',
  preferencesLink: 'Lieber selbst auswählen? Einstellungen ändern',
  preferencesTitle: 'Ihre Einstellungen',
  preferencesIntro: 'Wählen Sie, was Sie von uns hören möchten.',
  topicsLegend: 'Themen',
  topics: {
    checkins: 'Nachfragen: Wir sehen nach, ob nach Ihrem Kauf alles in Ordnung ist',
    education: 'Tipps und Anleitungen zu Ihrem Kauf',
    offers: 'Angebote',
    news: 'Neuigkeiten',
  },
  channelsLegend: 'Kanäle',
  channels: { email: 'E-Mail', sms: 'Textnachrichten (SMS)' },
  pauseLegend: 'Eine Pause',
  pauseNone: 'Keine Pause',
  pause30: 'Alles Optionale 30 Tage lang pausieren',
  pauseKeep: (until) => `Meine Pause bis ${until} beibehalten`,
  transactionalNote:
    'Nachrichten zu Ihren Bestellungen (Bestätigung, Versand, Lieferung) sind nicht optional und kommen immer.',
  saveButton: 'Auswahl speichern',
  saved: 'Gespeichert. Das bekommen Sie ab jetzt von uns.',
  unknownChoice: (field, value) => `„${value}“ ist keine Auswahl für ${field}.`,
  surveyTitle: 'Eine kurze Frage',
  surveyQuestion: {
    csat: () => 'Wie zufrieden sind Sie bisher mit Ihrem Kauf?',
    nps: (business) =>
      `Wie wahrscheinlich ist es, dass Sie ${business} einem Freund oder Kollegen empfehlen?`,
  },
  surveyLow: { csat: '1 = nicht zufrieden', nps: '0 = unwahrscheinlich' },
  surveyHigh: { csat: '5 = sehr zufrieden', nps: '10 = sehr wahrscheinlich' },
  commentLabel: 'Möchten Sie uns noch etwas sagen? (optional)',
  sendButton: 'Antwort senden',
  thanksTitle: 'Vielen Dank',
  thanks: 'Vielen Dank für Ihre Antwort. Sie hilft uns, uns gut um Sie und andere zu kümmern.',
  thanksLow:
    'Es tut uns leid, dass es nicht besser ist. Sagen Sie uns, was schiefgelaufen ist (antworten Sie auf unsere E-Mail oder schreiben Sie uns unten), und wir bringen es in Ordnung.',
  changeAnswer: 'Meinung geändert? Öffnen Sie denselben Link noch einmal; Ihre letzte Antwort zählt.',
  badScore: (_survey, first, last) => `Bitte wählen Sie eine Bewertung von ${first} bis ${last}.`,
  commentTooLong: (max) => `Ihr Kommentar ist länger als ${max} Zeichen; bitte kürzen Sie ihn.`,
  planTitle: 'Ihr Plan',
  planOrder: (orderId, placed) => `Bestellung ${orderId}, aufgegeben am ${placed}`,
  planHappened: 'Was bisher geschah',
  planNothingYet: 'Noch nichts.',
  planNext: 'Was als Nächstes kommt',
  planNothingNext: 'Für diese Bestellung ist nichts weiter geplant.',
  planTimesIn: (zone) => `Zeiten in Ihrer Zeitzone (${zone}).`,
  planUnsubscribed: 'Sie sind abgemeldet: Es kommen nur noch Nachrichten zu Ihrer Bestellung.',
  planSent: (when) => `gesendet am ${when}`,
  planDue: (when) => `geplant für ${when}`,
  meetingsTitle: 'Termine',
  meetingsIcs: 'Termine in Ihren Kalender übernehmen (.ics)',
  planHelpTitle: 'Hilfe und Eskalation',
  planPreferencesTitle: 'Ihre Einstellungen',
  planPreferences: 'Wählen Sie, was Sie von uns hören',
  steps: {
    'thank-you': 'Eine Dankes-E-Mail mit den nächsten Schritten',
    'order-shipped':
      'Eine E-Mail mit Versanddienstleister und Sendungsverfolgung, sobald Ihre Bestellung versendet ist',
    'delay-apology': 'Eine E-Mail, falls sich Ihre Lieferung verspätet, mit dem, was wir dagegen tun',
    'arrival-check': 'Eine E-Mail, ob alles gut angekommen ist',
    'arrival-call': 'Ein Anruf von uns, ob alles gut angekommen ist',
    'usage-tips': 'Ein paar Tipps, damit Sie das Beste aus Ihrem Kauf machen',
    'checkin-week': 'Nach einer Woche: Wie läuft es?',
    'customer-story': 'Wie es einem anderen Kunden damit ergangen ist',
    'checkin-month': 'Nach einem Monat: eine kurze Nachfrage',
    'month-call': 'Ein Anruf von Ihrer Ansprechperson',
    'insider-offer': 'Ein früher Blick auf etwas Neues, für Kunden',
    'checkup-meeting': 'Ein Termin, um gemeinsam zu prüfen, wie alles läuft',
    'renewal-heads-up': 'Ein Hinweis vor Ihrer Verlängerung, mit Änderungs- und Kündigungsmöglichkeiten',
    'renewal-call': 'Ein Anruf von Ihrer Ansprechperson vor Ihrer Verlängerung',
  },
  kinds: {
    'email:transactional': 'Eine E-Mail zu Ihrer Bestellung',
    'email:reassurance': 'Eine kurze Nachfrage per E-Mail',
    'email:education': 'Eine E-Mail mit Tipps',
    'email:offer': 'Eine E-Mail mit einem Angebot',
    'sms:transactional': 'Eine Textnachricht zu Ihrer Bestellung',
    sms: 'Eine Textnachricht',
    'task:call': 'Ein Anruf von uns',
    'task:meeting': 'Ein Termin mit uns',
    email: 'Eine E-Mail von uns',
  },
  meetingObjectives: {
    'checkup-meeting':
      'Wir prüfen gemeinsam, wie es für Sie läuft, beantworten Fragen und vereinbaren, was sich ändern soll.',
  },
  meetingObjective: 'Wir prüfen gemeinsam, wie alles für Sie läuft.',
  meetingTitle: (business) => `Termin mit ${business}`,
  helpTitle: 'Hilfe und Kontakt',
  helpIntro: 'Wir sind für Sie da, wenn Sie eine Frage haben oder etwas nicht stimmt.',
};

const TEXTS: Record<Language, Texts> = { en, de };

export function textsFor(lang: Language): Texts {
  return TEXTS[lang];
}

/** What a step is, in the customer's words: by step key, else by channel and purpose, else channel. */
export function stepPhrase(t: Texts, stepKey: string, channel: ChannelName, purpose: Purpose): string {
  return t.steps[stepKey] ?? t.kinds[`${channel}:${purpose}`] ?? t.kinds[channel] ?? t.kinds.email ?? stepKey;
}
