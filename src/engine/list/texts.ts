// Every word of the mailing list, in en, de, fr and es (formal address): the confirmation mail,
// the digest, and the public pages around them (sign-up, confirm, unsubscribe). Chosen by the
// subscriber's locale (or the browser's language on the sign-up page), English otherwise.
export const LIST_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type ListLanguage = (typeof LIST_LANGUAGES)[number];

export interface ListTexts {
  lang: ListLanguage;
  /** The consent the person gives, as shown on the confirm page and kept as proof. */
  consent(business: string): string;
  confirmSubject(business: string): string;
  confirmBody(business: string, link: string): string;
  confirmIgnore: string;
  digestSubject(business: string, count: number): string;
  digestIntro(business: string): string;
  digestWhy(business: string): string;
  unsubscribeLine(link: string): string;
  // Pages
  signUpTitle: string;
  signUpIntro(business: string): string;
  emailLabel: string;
  signUpButton: string;
  checkInboxTitle: string;
  checkInbox: string;
  badEmail: string;
  confirmTitle: string;
  confirmButton: string;
  confirmedTitle: string;
  confirmed: string;
  notPending: string;
  unsubscribeTitle: string;
  unsubscribeExplain: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribed: string;
  unsubscribedOneClick: string;
  /** The preferences page's section. */
  listLegend: string;
  listOn: string;
  listPending: string;
  listOffer: string;
  listButton: string;
}

const en: ListTexts = {
  lang: 'en',
  consent: (b) =>
    `Yes, please send me the news digest of ${b} by e-mail. I can unsubscribe at any time with the link in every digest.`,
  confirmSubject: (b) => `Please confirm: news from ${b}`,
  confirmBody: (b, link) =>
    `Someone, hopefully you, asked to receive the news digest of ${b} at this address.\n\nTo confirm, please open this link and press the button:\n${link}\n\nThe link works for seven days.`,
  confirmIgnore:
    'If you did not ask for this, please ignore this e-mail: without your confirmation we will not write to you again.',
  digestSubject: (b, n) => (n === 1 ? `News from ${b}` : `News from ${b}: ${n} updates`),
  digestIntro: (b) => `Here is what is new at ${b}.`,
  digestWhy: (b) => `You receive this because you confirmed your sign-up for the news digest of ${b}.`,
  unsubscribeLine: (link) => `Unsubscribe with one click: ${link}`,
  signUpTitle: 'News by e-mail',
  signUpIntro: (b) =>
    `Receive the news digest of ${b} by e-mail. We will first send you an e-mail to confirm your address.`,
  emailLabel: 'Your e-mail address',
  signUpButton: 'Sign up',
  checkInboxTitle: 'Please check your inbox',
  checkInbox:
    'If the address can receive our digest, an e-mail with a confirmation link is on its way. Nothing is sent before you confirm.',
  badEmail: 'Please enter one valid e-mail address.',
  confirmTitle: 'Confirm your sign-up',
  confirmButton: 'Confirm',
  confirmedTitle: 'Thank you',
  confirmed: 'Your sign-up is confirmed. You will receive the next digest.',
  notPending: 'This sign-up cannot be confirmed any more. Please sign up again if you wish.',
  unsubscribeTitle: 'Unsubscribe from the news digest',
  unsubscribeExplain: 'Press the button to stop receiving the news digest.',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'Unsubscribed',
  unsubscribed: 'You will not receive the news digest any more.',
  unsubscribedOneClick: 'You are unsubscribed from the news digest.',
  listLegend: 'News digest',
  listOn: 'You receive our news digest. Every digest has a link to unsubscribe.',
  listPending: 'We sent you an e-mail to confirm your sign-up for the news digest.',
  listOffer: 'Would you like to receive our news digest? We will send you an e-mail to confirm first.',
  listButton: 'Sign up for the news digest',
};

const de: ListTexts = {
  lang: 'de',
  consent: (b) =>
    `Ja, bitte senden Sie mir den Newsletter von ${b} per E-Mail. Ich kann mich jederzeit über den Link in jeder Ausgabe abmelden.`,
  confirmSubject: (b) => `Bitte bestätigen Sie: Neuigkeiten von ${b}`,
  confirmBody: (b, link) =>
    `Jemand, hoffentlich Sie, hat den Newsletter von ${b} für diese Adresse bestellt.\n\nZum Bestätigen öffnen Sie bitte diesen Link und drücken Sie die Schaltfläche:\n${link}\n\nDer Link ist sieben Tage gültig.`,
  confirmIgnore:
    'Wenn Sie das nicht waren, ignorieren Sie diese E-Mail bitte: Ohne Ihre Bestätigung schreiben wir Ihnen nicht wieder.',
  digestSubject: (b, n) => (n === 1 ? `Neuigkeiten von ${b}` : `Neuigkeiten von ${b}: ${n} Meldungen`),
  digestIntro: (b) => `Das ist neu bei ${b}.`,
  digestWhy: (b) =>
    `Sie erhalten diese E-Mail, weil Sie den Newsletter von ${b} bestellt und bestätigt haben.`,
  unsubscribeLine: (link) => `Mit einem Klick abmelden: ${link}`,
  signUpTitle: 'Neuigkeiten per E-Mail',
  signUpIntro: (b) =>
    `Erhalten Sie den Newsletter von ${b} per E-Mail. Wir senden Ihnen zuerst eine E-Mail, um Ihre Adresse zu bestätigen.`,
  emailLabel: 'Ihre E-Mail-Adresse',
  signUpButton: 'Anmelden',
  checkInboxTitle: 'Bitte sehen Sie in Ihr Postfach',
  checkInbox:
    'Wenn diese Adresse unseren Newsletter erhalten kann, ist eine E-Mail mit einem Bestätigungslink unterwegs. Vor Ihrer Bestätigung senden wir nichts.',
  badEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  confirmTitle: 'Anmeldung bestätigen',
  confirmButton: 'Bestätigen',
  confirmedTitle: 'Vielen Dank',
  confirmed: 'Ihre Anmeldung ist bestätigt. Sie erhalten die nächste Ausgabe.',
  notPending: 'Diese Anmeldung kann nicht mehr bestätigt werden. Melden Sie sich gern erneut an.',
  unsubscribeTitle: 'Vom Newsletter abmelden',
  unsubscribeExplain: 'Drücken Sie die Schaltfläche, um den Newsletter nicht mehr zu erhalten.',
  unsubscribeButton: 'Abmelden',
  unsubscribedTitle: 'Abgemeldet',
  unsubscribed: 'Sie erhalten den Newsletter nicht mehr.',
  unsubscribedOneClick: 'Sie sind vom Newsletter abgemeldet.',
  listLegend: 'Newsletter',
  listOn: 'Sie erhalten unseren Newsletter. Jede Ausgabe enthält einen Link zum Abmelden.',
  listPending: 'Wir haben Ihnen eine E-Mail gesendet, um Ihre Anmeldung zum Newsletter zu bestätigen.',
  listOffer: 'Möchten Sie unseren Newsletter erhalten? Wir senden Ihnen zuerst eine E-Mail zur Bestätigung.',
  listButton: 'Zum Newsletter anmelden',
};

const fr: ListTexts = {
  lang: 'fr',
  consent: (b) =>
    `Oui, veuillez m’envoyer la lettre d’information de ${b} par e-mail. Je peux me désabonner à tout moment avec le lien présent dans chaque lettre.`,
  confirmSubject: (b) => `Veuillez confirmer : les nouvelles de ${b}`,
  confirmBody: (b, link) =>
    `Quelqu’un, vous sans doute, a demandé à recevoir la lettre d’information de ${b} à cette adresse.\n\nPour confirmer, veuillez ouvrir ce lien et appuyer sur le bouton :\n${link}\n\nLe lien est valable sept jours.`,
  confirmIgnore:
    'Si vous n’avez rien demandé, veuillez ignorer cet e-mail : sans votre confirmation, nous ne vous écrirons plus.',
  digestSubject: (b, n) => (n === 1 ? `Les nouvelles de ${b}` : `Les nouvelles de ${b} : ${n} annonces`),
  digestIntro: (b) => `Voici les nouveautés de ${b}.`,
  digestWhy: (b) =>
    `Vous recevez cet e-mail parce que vous avez confirmé votre inscription à la lettre d’information de ${b}.`,
  unsubscribeLine: (link) => `Se désabonner en un clic : ${link}`,
  signUpTitle: 'Les nouvelles par e-mail',
  signUpIntro: (b) =>
    `Recevez la lettre d’information de ${b} par e-mail. Nous vous enverrons d’abord un e-mail pour confirmer votre adresse.`,
  emailLabel: 'Votre adresse e-mail',
  signUpButton: 'S’inscrire',
  checkInboxTitle: 'Veuillez consulter votre boîte de réception',
  checkInbox:
    'Si cette adresse peut recevoir notre lettre, un e-mail avec un lien de confirmation est en route. Rien n’est envoyé avant votre confirmation.',
  badEmail: 'Veuillez saisir une adresse e-mail valide.',
  confirmTitle: 'Confirmer votre inscription',
  confirmButton: 'Confirmer',
  confirmedTitle: 'Merci',
  confirmed: 'Votre inscription est confirmée. Vous recevrez la prochaine lettre.',
  notPending: 'Cette inscription ne peut plus être confirmée. Vous pouvez vous inscrire à nouveau.',
  unsubscribeTitle: 'Se désabonner de la lettre d’information',
  unsubscribeExplain: 'Appuyez sur le bouton pour ne plus recevoir la lettre d’information.',
  unsubscribeButton: 'Se désabonner',
  unsubscribedTitle: 'Désabonnement effectué',
  unsubscribed: 'Vous ne recevrez plus la lettre d’information.',
  unsubscribedOneClick: 'Vous êtes désabonné de la lettre d’information.',
  listLegend: 'Lettre d’information',
  listOn: 'Vous recevez notre lettre d’information. Chaque lettre contient un lien pour vous désabonner.',
  listPending: 'Nous vous avons envoyé un e-mail pour confirmer votre inscription à la lettre d’information.',
  listOffer:
    'Souhaitez-vous recevoir notre lettre d’information ? Nous vous enverrons d’abord un e-mail de confirmation.',
  listButton: 'S’inscrire à la lettre d’information',
};

const es: ListTexts = {
  lang: 'es',
  consent: (b) =>
    `Sí, envíeme el boletín de noticias de ${b} por correo electrónico. Puedo darme de baja en cualquier momento con el enlace de cada boletín.`,
  confirmSubject: (b) => `Por favor, confirme: noticias de ${b}`,
  confirmBody: (b, link) =>
    `Alguien, esperamos que usted, ha pedido recibir el boletín de noticias de ${b} en esta dirección.\n\nPara confirmarlo, abra este enlace y pulse el botón:\n${link}\n\nEl enlace es válido durante siete días.`,
  confirmIgnore:
    'Si usted no lo ha pedido, ignore este correo: sin su confirmación no volveremos a escribirle.',
  digestSubject: (b, n) => (n === 1 ? `Noticias de ${b}` : `Noticias de ${b}: ${n} novedades`),
  digestIntro: (b) => `Esto es lo nuevo en ${b}.`,
  digestWhy: (b) => `Recibe este correo porque confirmó su suscripción al boletín de noticias de ${b}.`,
  unsubscribeLine: (link) => `Darse de baja con un clic: ${link}`,
  signUpTitle: 'Noticias por correo electrónico',
  signUpIntro: (b) =>
    `Reciba el boletín de noticias de ${b} por correo electrónico. Primero le enviaremos un correo para confirmar su dirección.`,
  emailLabel: 'Su dirección de correo electrónico',
  signUpButton: 'Suscribirse',
  checkInboxTitle: 'Por favor, revise su bandeja de entrada',
  checkInbox:
    'Si la dirección puede recibir nuestro boletín, un correo con un enlace de confirmación está en camino. No enviamos nada antes de su confirmación.',
  badEmail: 'Por favor, introduzca una dirección de correo electrónico válida.',
  confirmTitle: 'Confirme su suscripción',
  confirmButton: 'Confirmar',
  confirmedTitle: 'Gracias',
  confirmed: 'Su suscripción está confirmada. Recibirá el próximo boletín.',
  notPending: 'Esta suscripción ya no se puede confirmar. Si lo desea, suscríbase de nuevo.',
  unsubscribeTitle: 'Darse de baja del boletín de noticias',
  unsubscribeExplain: 'Pulse el botón para dejar de recibir el boletín de noticias.',
  unsubscribeButton: 'Darse de baja',
  unsubscribedTitle: 'Baja confirmada',
  unsubscribed: 'Ya no recibirá el boletín de noticias.',
  unsubscribedOneClick: 'Se ha dado de baja del boletín de noticias.',
  listLegend: 'Boletín de noticias',
  listOn: 'Recibe nuestro boletín de noticias. Cada boletín tiene un enlace para darse de baja.',
  listPending: 'Le hemos enviado un correo para confirmar su suscripción al boletín de noticias.',
  listOffer: '¿Desea recibir nuestro boletín de noticias? Primero le enviaremos un correo de confirmación.',
  listButton: 'Suscribirse al boletín de noticias',
};

const TEXTS: Record<ListLanguage, ListTexts> = { en, de, fr, es };

/** The language of a locale (`de-AT` -> `de`), or null when it is not one of ours. */
export function listLanguageOf(locale: string | null | undefined): ListLanguage | null {
  const lang = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LIST_LANGUAGES as readonly string[]).includes(lang) ? (lang as ListLanguage) : null;
}

export function listTextsFor(locale: string | null | undefined): ListTexts {
  return TEXTS[listLanguageOf(locale) ?? 'en'];
}

/** The first of our languages an Accept-Language header names, else English. */
export function listTextsForHeader(header: string | undefined): ListTexts {
  for (const part of (header ?? '').split(',')) {
    const lang = listLanguageOf(part.split(';')[0]);
    if (lang !== null) return TEXTS[lang];
  }
  return en;
}
