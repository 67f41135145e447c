// The public pages in German: formal (Sie), as a shop writes to its customers.
import type { Texts } from './texts.js';

export const de: Texts = {
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
  planOrder: (number, placed) =>
    number === null
      ? `Ihre Bestellung, aufgegeben am ${placed}`
      : `Bestellung ${number}, aufgegeben am ${placed}`,
  planHappened: 'Was bisher geschah',
  planNothingYet: 'Noch nichts.',
  planNext: 'Was als Nächstes kommt',
  planNothingNext: 'Für diese Bestellung ist nichts weiter geplant.',
  planTimesIn: (zone) => `Zeiten in Ihrer Zeitzone (${zone}).`,
  planUnsubscribed: 'Sie sind abgemeldet: Es kommen nur noch Nachrichten zu Ihrer Bestellung.',
  planConcernsTitle: 'Was Sie uns gesagt haben',
  planConcernOpen: (on) =>
    `Am ${on} haben Sie uns gesagt, dass etwas nicht stimmt. Ein Mensch meldet sich dazu bei Ihnen.`,
  planConcernTaken: (on) =>
    `Am ${on} haben Sie uns gesagt, dass etwas nicht stimmt. Ein Mensch kümmert sich jetzt darum.`,
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
    'usage-tips-2': 'Ein zweiter Tipp zu Ihrem Kauf',
    'usage-tips-3': 'Ein dritter Tipp zu Ihrem Kauf',
    'checkin-week': 'Nach einer Woche: Wie läuft es?',
    'customer-story': 'Wie es einem anderen Kunden damit ergangen ist',
    'checkin-month': 'Nach einem Monat: eine kurze Nachfrage',
    'month-call': 'Ein Anruf von Ihrer Ansprechperson',
    'insider-offer': 'Ein früher Blick auf etwas Neues, für Kunden',
    'checkup-meeting': 'Ein Termin, um gemeinsam zu prüfen, wie alles läuft',
    'renewal-heads-up': 'Ein Hinweis vor Ihrer Verlängerung, mit Änderungs- und Kündigungsmöglichkeiten',
    'renewal-call': 'Ein Anruf von Ihrer Ansprechperson vor Ihrer Verlängerung',
    'fix-check': 'Eine E-Mail einige Tage nachdem wir ein Problem gelöst haben: Ist es wirklich behoben?',
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
    'arrival-call':
      'Wir vergewissern uns, dass alles gut angekommen oder gestartet ist, und beantworten Ihre ersten Fragen.',
    'month-call': 'Nach einem Monat besprechen wir, wie es für Sie läuft und was Ihnen helfen würde.',
    'checkup-meeting':
      'Wir prüfen gemeinsam, wie es für Sie läuft, beantworten Fragen und vereinbaren, was sich ändern soll.',
  },
  meetingObjective: 'Wir prüfen gemeinsam, wie alles für Sie läuft.',
  meetingTitle: (business) => `Termin mit ${business}`,
  proposalTitle: 'Ihr vorgeschlagener Plan',
  proposalBanner:
    'Vorschlag: So wollen wir Sie nach Ihrer Bestellung begleiten. Gebucht ist nichts, bevor Sie bestellen, und die Termine richten sich nach der Bestellung.',
  proposalFor: (company, closeOn) => `Für ${company}, bei einer Bestellung am ${closeOn}.`,
  proposalSteps: 'Was wir nach Ihrer Bestellung tun',
  proposalOnePager: 'Eine Zusammenfassung auf einer Seite zum Aufbewahren oder Drucken',
  proposalClosedTitle: 'Dieser Vorschlag ist nicht mehr offen',
  proposalClosed: 'Dieser Vorschlag ist nicht mehr offen. Wenn Sie Fragen haben, schreiben Sie uns bitte.',
  helpTitle: 'Hilfe und Kontakt',
  helpIntro: 'Wir sind für Sie da, wenn Sie eine Frage haben oder etwas nicht stimmt.',
  tipsTitle: 'Keine weiteren Tipps',
  tipsAsk:
    'Läuft alles gut? Dann senden wir Ihnen keine weiteren Tipps zu dieser Bestellung. Andere Nachrichten, etwa unsere Nachfragen, bleiben davon unberührt.',
  tipsButton: 'Alles bestens, keine weiteren Tipps',
  tipsStopped:
    'Erledigt: Sie erhalten keine weiteren Tipps zu dieser Bestellung. Vielen Dank für Ihre Rückmeldung.',
  tipsAlready: 'Sie haben uns das bereits mitgeteilt: Zu dieser Bestellung kommen keine weiteren Tipps.',
};
