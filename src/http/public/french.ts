// The public pages in French: formal (vous), as a shop writes to its customers.
import type { Texts } from './texts.js';

export const fr: Texts = {
  lang: 'fr',
  notFoundTitle: 'Lien introuvable',
  notFound:
    'Ce lien n’est pas valide. Merci d’utiliser le lien de votre e-mail exactement tel qu’il vous a été envoyé.',
  expiredTitle: 'Lien expiré',
  expired:
    'Ce lien a expiré. Notre e-mail le plus récent en contient un nouveau ; vous pouvez aussi nous écrire ci-dessous.',
  badRequestTitle: 'Merci de vérifier votre réponse',
  contactsTitle: 'Besoin d’aide ?',
  writeTo: (email) => `Écrivez-nous à ${email}`,
  callUs: (phone) => `ou appelez le ${phone}`,
  escalate: (name, email) =>
    `Si un problème n’est pas réglé assez vite, écrivez directement à ${name} : ${email}`,
  replyToAnyMail:
    'Vous pouvez aussi simplement répondre à l’un de nos e-mails ; chaque réponse est lue par une personne.',
  unsubscribeTitle: 'Se désabonner',
  unsubscribeExplain:
    'Si vous vous désabonnez, nous cessons de vous envoyer les e-mails facultatifs : prises de nouvelles, conseils, offres et actualités.',
  unsubscribeStill:
    'Les messages dont vous avez besoin pour vos commandes continuent d’arriver : confirmations de commande, expédition et livraison.',
  unsubscribeAlready: 'Vous êtes déjà désabonné.',
  unsubscribeButton: 'Me désabonner',
  unsubscribedTitle: 'Vous êtes désabonné',
  unsubscribedDone:
    'Nous ne vous enverrons plus d’e-mails facultatifs. Les messages concernant vos commandes continuent d’arriver.',
  unsubscribedOneClick: 'Vous êtes désabonné.',
  preferencesLink: 'Vous préférez choisir ce que vous recevez ? Réglez vos préférences',
  preferencesTitle: 'Vos préférences',
  preferencesIntro: 'Choisissez ce que vous souhaitez recevoir de notre part.',
  topicsLegend: 'Sujets',
  topics: {
    checkins: 'Prises de nouvelles : nous vérifions que tout va bien après votre achat',
    education: 'Conseils et guides pour votre achat',
    offers: 'Offres',
    news: 'Actualités',
  },
  channelsLegend: 'Canaux',
  channels: { email: 'E-mail', sms: 'SMS' },
  pauseLegend: 'Faire une pause',
  pauseNone: 'Pas de pause',
  pause30: 'Suspendre tout ce qui est facultatif pendant 30 jours',
  pauseKeep: (until) => `Garder ma pause jusqu’au ${until}`,
  transactionalNote:
    'Les messages concernant vos commandes (confirmation, expédition, livraison) ne sont pas facultatifs et arrivent toujours.',
  saveButton: 'Enregistrer mes choix',
  saved: 'C’est enregistré. Voici ce que vous recevrez désormais.',
  unknownChoice: (field, value) => `« ${value} » n’est pas un choix possible pour ${field}.`,
  surveyTitle: 'Une petite question',
  surveyQuestion: {
    csat: () => 'Quel est votre niveau de satisfaction concernant votre achat jusqu’ici ?',
    nps: (business) =>
      `Quelle est la probabilité que vous recommandiez ${business} à un ami ou à un collègue ?`,
  },
  surveyLow: { csat: '1 = décevant', nps: '0 = peu probable' },
  surveyHigh: { csat: '5 = excellent', nps: '10 = très probable' },
  commentLabel: 'Souhaitez-vous nous dire autre chose ? (facultatif)',
  sendButton: 'Envoyer ma réponse',
  thanksTitle: 'Merci',
  thanks: 'Merci pour votre réponse. Elle nous aide à prendre soin de vous et des autres.',
  thanksLow:
    'Nous sommes désolés que ce ne soit pas mieux. Dites-nous ce qui n’a pas fonctionné (en répondant à notre e-mail ou en nous écrivant ci-dessous) et nous arrangerons cela.',
  changeAnswer: 'Vous avez changé d’avis ? Rouvrez le même lien ; c’est votre dernière réponse qui compte.',
  badScore: (_survey, first, last) => `Merci de choisir une note de ${first} à ${last}.`,
  commentTooLong: (max) => `Votre commentaire dépasse ${max} caractères ; merci de le raccourcir.`,
  planTitle: 'Votre programme',
  planOrder: (number, placed) =>
    number === null ? `Votre commande, passée le ${placed}` : `Commande ${number}, passée le ${placed}`,
  planHappened: 'Ce qui s’est passé',
  planNothingYet: 'Rien pour l’instant.',
  planNext: 'Ce qui vient ensuite',
  planNothingNext: 'Rien d’autre n’est prévu pour cette commande.',
  planTimesIn: (zone) => `Les heures sont indiquées dans votre fuseau horaire (${zone}).`,
  planUnsubscribed: 'Vous êtes désabonné : seuls les messages concernant votre commande arrivent.',
  planConcernsTitle: 'Ce que vous nous avez dit',
  planConcernOpen: (on) =>
    `Le ${on}, vous nous avez signalé que quelque chose n’allait pas. Une personne va vous contacter à ce sujet.`,
  planConcernTaken: (on) =>
    `Le ${on}, vous nous avez signalé que quelque chose n’allait pas. Une personne s’en occupe en ce moment.`,
  planSent: (when) => `envoyé le ${when}`,
  planDue: (when) => `prévu le ${when}`,
  meetingsTitle: 'Rendez-vous',
  meetingsIcs: 'Ajouter les rendez-vous à votre agenda (.ics)',
  planHelpTitle: 'Aide et recours',
  planPreferencesTitle: 'Vos préférences',
  planPreferences: 'Choisissez ce que vous recevez de notre part',
  steps: {
    'thank-you': 'Un e-mail de remerciement qui explique la suite',
    'order-shipped': 'Un e-mail avec le transporteur et le lien de suivi dès l’expédition de votre commande',
    'delay-apology': 'Un e-mail si votre livraison a du retard, avec ce que nous faisons pour y remédier',
    'arrival-check': 'Un e-mail pour vérifier que tout est bien arrivé',
    'arrival-call': 'Un appel de notre part pour vérifier que tout est bien arrivé',
    'usage-tips': 'Quelques conseils pour profiter pleinement de votre achat',
    'usage-tips-2': 'Un deuxième conseil pour votre achat',
    'usage-tips-3': 'Un troisième conseil pour votre achat',
    'checkin-week': 'Au bout d’une semaine : comment ça se passe ?',
    'customer-story': 'Comment cela s’est passé pour un autre client',
    'checkin-month': 'Au bout d’un mois : une petite prise de nouvelles',
    'month-call': 'Un appel de votre interlocuteur dédié',
    'insider-offer': 'Un aperçu en avant-première d’une nouveauté, réservé aux clients',
    'checkup-meeting': 'Un rendez-vous de suivi pour faire le point ensemble',
    'renewal-heads-up': 'Un rappel avant votre renouvellement, avec comment modifier ou résilier',
    'renewal-call': 'Un appel de votre interlocuteur dédié avant votre renouvellement',
    'fix-check':
      'Un e-mail quelques jours après la résolution d’un problème, pour vérifier qu’il est vraiment réglé',
  },
  kinds: {
    'email:transactional': 'Un e-mail au sujet de votre commande',
    'email:reassurance': 'Un e-mail pour prendre de vos nouvelles',
    'email:education': 'Un e-mail de conseils',
    'email:offer': 'Un e-mail avec une offre',
    'sms:transactional': 'Un SMS au sujet de votre commande',
    sms: 'Un SMS',
    'task:call': 'Un appel de notre part',
    'task:meeting': 'Un rendez-vous avec nous',
    email: 'Un e-mail de notre part',
  },
  meetingObjectives: {
    'arrival-call':
      'Nous vérifions que tout est bien arrivé ou a bien démarré et répondons à vos premières questions.',
    'month-call': 'Après un mois, nous voyons avec vous ce qui fonctionne et ce qui vous aiderait.',
    'checkup-meeting':
      'Nous faisons le point ensemble sur ce qui fonctionne pour vous, répondons à vos questions et convenons de ce qui doit changer.',
  },
  meetingObjective: 'Nous faisons le point ensemble sur ce qui fonctionne pour vous.',
  meetingTitle: (business) => `Rendez-vous avec ${business}`,
  proposalTitle: 'Votre plan proposé',
  proposalBanner:
    'Proposition : voici ce que nous prévoyons pour vous après votre commande. Rien n’est réservé avant votre commande, et les dates suivent sa date.',
  proposalFor: (company, closeOn) => `Pour ${company}, pour une commande passée le ${closeOn}.`,
  proposalSteps: 'Ce que nous ferons après votre commande',
  proposalOnePager: 'Un résumé d’une page à garder ou à imprimer',
  proposalClosedTitle: 'Cette proposition n’est plus ouverte',
  proposalClosed: 'Cette proposition n’est plus ouverte. Si vous avez des questions, écrivez-nous.',
  helpTitle: 'Aide et contacts',
  helpIntro: 'Nous sommes là si vous avez une question ou si quelque chose ne va pas.',
  tipsTitle: 'Plus de conseils',
  tipsAsk:
    'Tout se passe bien ? Nous cesserons alors de vous envoyer des conseils sur cette commande. Les autres messages, comme nos prises de nouvelles, ne changent pas.',
  tipsButton: 'Tout va bien, plus de conseils',
  tipsStopped:
    'C’est fait : vous ne recevrez plus de conseils sur cette commande. Merci de nous l’avoir dit.',
  tipsAlready: 'Vous nous l’avez déjà dit : aucun autre conseil ne vous sera envoyé sur cette commande.',
};
