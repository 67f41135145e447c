// The words the content rules look for, per language (en, de, fr, es). Lower case; a phrase
// matches at word boundaries, any case. A language not listed here is checked with English.
export interface LocaleWords {
  /** Selling words: wrong in a message meant to reassure or to inform about an order. */
  pushy: readonly string[];
  /** Offers: only a step whose purpose is `offer` may make one. */
  offer: readonly string[];
  /** Pressure of time. */
  urgency: readonly string[];
  /** Words that tell the reader they can answer this message for help. */
  replyForHelp: readonly string[];
}

export const WORDS: Readonly<Record<string, LocaleWords>> = {
  en: {
    pushy: [
      'buy now',
      'shop now',
      'order now',
      'upgrade',
      'add to cart',
      'add to basket',
      'great deal',
      'best deal',
      'bargain',
      'exclusive',
      'treat yourself',
      'you deserve',
      'must-have',
      'bestseller',
      'best-seller',
      'best-selling',
      'complete your collection',
      'upsell',
    ],
    offer: [
      'discount',
      'coupon',
      'promo code',
      'voucher',
      'on sale',
      'free shipping',
      '% off',
      'percent off',
      'save %',
    ],
    urgency: [
      'act now',
      'last chance',
      'only today',
      'today only',
      'hurry',
      'limited time',
      'expires soon',
      'while stocks last',
      "don't wait",
      "don't miss",
      'before it’s gone',
      "before it's gone",
      'ends tonight',
      'final hours',
    ],
    replyForHelp: ['reply', 'write to us', 'call us', 'contact us'],
  },
  de: {
    pushy: [
      'jetzt kaufen',
      'jetzt bestellen',
      'jetzt shoppen',
      'upgrade',
      'in den warenkorb',
      'schnäppchen',
      'exklusiv',
      'exklusives',
      'gönn dir',
      'gönnen sie sich',
      'must-have',
      'bestseller',
      'angebot des tages',
    ],
    offer: [
      'rabatt',
      'gutschein',
      'gutscheincode',
      'rabattcode',
      'aktionscode',
      'versandkostenfrei',
      '% rabatt',
      'prozent rabatt',
      'sonderangebot',
    ],
    urgency: [
      'nur heute',
      'letzte chance',
      'jetzt handeln',
      'beeilen sie sich',
      'beeil dich',
      'nur für kurze zeit',
      'solange der vorrat reicht',
      'läuft bald ab',
      'nicht verpassen',
      'nur noch heute',
    ],
    replyForHelp: ['antworten', 'antworten sie', 'schreiben sie', 'rufen sie', 'melden sie sich'],
  },
  fr: {
    pushy: [
      'achetez maintenant',
      'commandez maintenant',
      'mise à niveau',
      'ajouter au panier',
      'bonne affaire',
      'exclusif',
      'exclusive',
      'faites-vous plaisir',
      'vous le méritez',
      'incontournable',
      'meilleure vente',
      'meilleures ventes',
    ],
    offer: [
      'réduction',
      'remise',
      'coupon',
      'code promo',
      'bon de réduction',
      'livraison gratuite',
      'soldes',
      '% de réduction',
    ],
    urgency: [
      "aujourd'hui seulement",
      'aujourd’hui seulement',
      'dernière chance',
      'agissez maintenant',
      'dépêchez-vous',
      'durée limitée',
      "jusqu'à épuisement des stocks",
      'jusqu’à épuisement des stocks',
      'ne manquez pas',
      'expire bientôt',
    ],
    replyForHelp: ['répondez', 'répondre', 'écrivez-nous', 'appelez-nous', 'contactez-nous'],
  },
  es: {
    pushy: [
      'compra ahora',
      'compre ahora',
      'pide ahora',
      'mejora tu plan',
      'añadir al carrito',
      'ganga',
      'chollo',
      'exclusivo',
      'exclusiva',
      'date un capricho',
      'te lo mereces',
      'imprescindible',
      'más vendido',
      'más vendidos',
    ],
    offer: ['descuento', 'cupón', 'código promocional', 'envío gratis', 'rebajas', '% de descuento'],
    urgency: [
      'solo hoy',
      'sólo hoy',
      'última oportunidad',
      'actúa ahora',
      'actúe ahora',
      'date prisa',
      'tiempo limitado',
      'hasta agotar existencias',
      'no te lo pierdas',
      'caduca pronto',
    ],
    replyForHelp: ['responde', 'responda', 'escríbenos', 'escríbanos', 'llámanos', 'llámenos', 'contáctanos'],
  },
};

/** The word lists of a locale tag (`de-AT` -> de), English for one not listed. */
export function wordsFor(locale: string): LocaleWords {
  return WORDS[languageOf(locale)] ?? (WORDS['en'] as LocaleWords);
}

export function languageOf(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
}
