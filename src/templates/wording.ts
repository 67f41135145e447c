// The few words templateContext writes itself rather than a template: the survey question and
// the ends of its scale, and how an order without a number is named ("of March 3, 2026"), per
// language. The public survey page asks the same question (src/http/public, its Texts); a
// language without an entry here gets English, like a locale without its own template files.
import type { Segment, Survey } from '../core/domain.js';

export interface ContextWording {
  survey: Record<Survey, { question: (business: string) => string; low: string; high: string }>;
  /** After "order": `placedOn('March 3, 2026')` -> 'of March 3, 2026'. */
  placedOn: (date: string) => string;
  /** Why a customer story was chosen: `Why this story: same product, also a business customer.` */
  story: {
    lead: string;
    product: string;
    category: string;
    useCase: string;
    segment: Record<Segment, string>;
  };
}

const WORDING: Readonly<Record<string, ContextWording>> = {
  en: {
    survey: {
      csat: {
        question: () => 'How happy are you with your purchase so far?',
        low: 'Not happy',
        high: 'Very happy',
      },
      nps: {
        question: (business) => `How likely are you to recommend ${business} to a friend or colleague?`,
        low: 'Not likely',
        high: 'Very likely',
      },
    },
    placedOn: (date) => `of ${date}`,
    story: {
      lead: 'Why this story:',
      product: 'same product',
      category: 'same kind of product',
      useCase: 'used the same way',
      segment: { b2b: 'also a business customer', b2c: 'also a private customer' },
    },
  },
  de: {
    survey: {
      csat: {
        question: () => 'Wie zufrieden sind Sie bisher mit Ihrem Kauf?',
        low: 'Nicht zufrieden',
        high: 'Sehr zufrieden',
      },
      nps: {
        question: (business) =>
          `Wie wahrscheinlich ist es, dass Sie ${business} einem Freund oder Kollegen empfehlen?`,
        low: 'Unwahrscheinlich',
        high: 'Sehr wahrscheinlich',
      },
    },
    placedOn: (date) => `vom ${date}`,
    story: {
      lead: 'Warum diese Geschichte:',
      product: 'dasselbe Produkt',
      category: 'dieselbe Art von Produkt',
      useCase: 'derselbe Einsatzzweck',
      segment: { b2b: 'ebenfalls Geschäftskunde', b2c: 'ebenfalls Privatkunde' },
    },
  },
  fr: {
    survey: {
      csat: {
        question: () => 'Quel est votre niveau de satisfaction concernant votre achat jusqu’ici ?',
        low: 'Décevant',
        high: 'Excellent',
      },
      nps: {
        question: (business) =>
          `Quelle est la probabilité que vous recommandiez ${business} à un ami ou à un collègue ?`,
        low: 'Peu probable',
        high: 'Très probable',
      },
    },
    placedOn: (date) => `du ${date}`,
    story: {
      lead: 'Pourquoi cette histoire :',
      product: 'même produit',
      category: 'même type de produit',
      useCase: 'même usage',
      segment: { b2b: 'également client professionnel', b2c: 'également client particulier' },
    },
  },
  es: {
    survey: {
      csat: {
        question: () => '¿Cuál es su grado de satisfacción con su compra hasta ahora?',
        low: 'Decepcionante',
        high: 'Excelente',
      },
      nps: {
        question: (business) => `¿Qué probabilidad hay de que recomiende ${business} a un amigo o colega?`,
        low: 'Poco probable',
        high: 'Muy probable',
      },
    },
    placedOn: (date) => `del ${date}`,
    story: {
      lead: 'Por qué esta historia:',
      product: 'mismo producto',
      category: 'mismo tipo de producto',
      useCase: 'mismo uso',
      segment: { b2b: 'también cliente empresarial', b2c: 'también cliente particular' },
    },
  },
};

/** The wording for a locale's language (`fr-CA` -> fr); English for any other. */
export function wordingFor(locale: string): ContextWording {
  const language = locale.split('-')[0]?.toLowerCase() ?? '';
  return WORDING[language] ?? (WORDING['en'] as ContextWording);
}
