// What every public page needs: its dependencies, opening a link's token (404 for an invalid one,
// 410 for an expired one, never any data on either), the customer and their language, and
// answering with a page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Customer, TouchPoint } from '../../core/domain.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../engine/clock.js';
import type { Commands } from '../../engine/commands/commands.js';
import type { StepResolver } from '../../engine/dispatch/compose.js';
import type { LinkClaims, LinkPurpose, LinkTokens } from '../../engine/links/token.js';
import { esc, page, paragraph } from './layout.js';
import { languageOf, languageOfHeader, textsFor, type Texts } from './texts.js';

export interface PublicPagesDeps {
  config: Readonly<Config>;
  clock: Clock;
  commands: Commands;
  linkTokens: LinkTokens;
  /** Each touch point's step, from the playbook version that planned it (the survey's kind). */
  steps: StepResolver;
}

export interface OpenedLink {
  claims: LinkClaims;
  customer: Customer;
  t: Texts;
  /** The token as it came (for the forms' actions). */
  token: string;
}

/** A link that names one of its customer's touch points (a tip, a survey). */
export interface TouchPointLink extends OpenedLink {
  touchPoint: TouchPoint;
}

export class Pages {
  /** Path prefix of AFTERCARE_PUBLIC_URL, without a trailing slash. */
  readonly base: string;

  constructor(readonly deps: PublicPagesDeps) {
    this.base = new URL(deps.config.publicUrl).pathname.replace(/\/+$/, '');
  }

  /** Language from Accept-Language, for pages with no customer behind them. */
  textsOf(request: FastifyRequest): Texts {
    return textsFor(languageOfHeader(request.headers['accept-language']));
  }

  /** `contacts: false` for a page whose body has them already. */
  send(
    reply: FastifyReply,
    status: number,
    t: Texts,
    title: string,
    body: string,
    contacts = true,
  ): FastifyReply {
    const html = page({ t, business: this.deps.config.business, base: this.base, title, body, contacts });
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const t = this.textsOf(request);
    return this.send(reply, 404, t, t.notFoundTitle, paragraph(t.notFound));
  }

  problem(reply: FastifyReply, t: Texts, problem: string, again: string | null): FastifyReply {
    const back = again ? `<p><a href="${esc(again)}">${esc(t.badRequestTitle)}</a></p>` : '';
    return this.send(reply, 400, t, t.badRequestTitle, `${paragraph(problem, 'problem')}${back}`);
  }

  /**
   * The link's claims and customer, or null once a 404 (invalid, another page's token, a customer
   * no longer known) or a 410 (expired) page has been sent.
   */
  async open(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    purpose: LinkPurpose,
  ): Promise<OpenedLink | null> {
    const check = this.deps.linkTokens.verify(token, this.deps.clock.now());
    if (check.status === 'expired' && check.purpose === purpose) {
      const t = this.textsOf(request);
      this.send(reply, 410, t, t.expiredTitle, paragraph(t.expired));
      return null;
    }
    if (check.status !== 'valid' || check.claims.purpose !== purpose) {
      this.notFound(request, reply);
      return null;
    }
    const customer = await this.deps.commands.customers.get(check.claims.customerId);
    if (customer === null) {
      this.notFound(request, reply);
      return null;
    }
    return { claims: check.claims, customer, t: textsFor(languageOf(customer.locale)), token };
  }

  /**
   * `open`, then the touch point the link names, or null once a 404/410 page has been sent (also
   * for a link naming none, or another customer's).
   */
  async openTouchPoint(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    purpose: LinkPurpose,
  ): Promise<TouchPointLink | null> {
    const link = await this.open(request, reply, token, purpose);
    if (link === null) return null;
    const id = link.claims.touchPointId;
    const touchPoint = id === null ? null : await this.deps.commands.touchPoints.get(id);
    if (touchPoint === null || touchPoint.customerId !== link.customer.id) {
      this.notFound(request, reply);
      return null;
    }
    return { ...link, touchPoint };
  }

  /** A link to another page of the same customer, with a fresh token. */
  linkTo(path: string, claims: Omit<LinkClaims, 'expiresAt'>, lifetimeMs: number): string {
    const token = this.deps.linkTokens.issue({ ...claims, expiresAt: this.deps.clock.now() + lifetimeMs });
    return `${this.base}/${path}/${token}`;
  }
}
