// Rendering touch points. Templates are read and parsed once, then compiled to JavaScript
// closures (compile/) that produce exactly what LiquidJS would; a template the compiler cannot
// reproduce exactly is rendered by LiquidJS instead (TemplateInfo.fallback says why). Both paths
// are sandboxed alike: templates see only their context (own properties only), reach no file
// (partials, `{% include '_footer' %}`, are inlined at load; any other include finds nothing)
// and are held to the same limits on time, memory and output (limits.ts).
// A template may come in locale variants (`name.fr.liquid`; load.ts says which file a locale
// gets); render picks one by the context's `locale`. `renderSubject` renders only the subject. `sources` and `TemplateRenderer.fromSources` snapshot
// templates as texts and render them later, without the file system, exactly as they were.
import { randomBytes } from 'node:crypto';
import type { Liquid } from 'liquidjs';
import { AftercareError } from '../errors.js';
import { runCompiled } from './compile/output.js';
import type { Exec } from './compile/compiler.js';
import type { TemplateContext } from './context.js';
import { emailHtml, emailView } from './htmlEmail.js';
import { createLiquid, renderWithLiquid } from './liquid.js';
import { limitErrorIn, resolveLimits, startBudget, type TemplateLimits } from './limits.js';
import { resolveLocale } from './format.js';
import {
  PartialFolders,
  localeChain as localeChainOf,
  localeFiles,
  parseVariantKey,
  pickLocale,
  readTemplate,
  splitFrontMatter,
  TEMPLATE_NAME,
  variantKey,
  type LocaleFiles,
} from './load.js';
import { defaultTemplatesDir } from './paths.js';
import { prepareTemplate, type PreparedTemplate, type TemplateInfo } from './prepared.js';

export { templateContext, type TemplateContext, type TemplateContextInput } from './context.js';
import { inLocale } from './context.js';
export { DEFAULT_LIMITS, type TemplateLimits } from './limits.js';
export type { TemplateInfo } from './prepared.js';

export interface RenderedTemplate {
  /** From the front matter's `subject:`, on one line; '' when the template has none. */
  subject: string;
  /** From the front matter's `title:` (task templates), on one line; '' when none. */
  title: string;
  text: string;
  /** `text` in the compiled layout (htmlEmail.ts) for templates with a subject (messages); null for task scripts. */
  html: string | null;
}

export interface TemplateRendererOptions {
  /** Searched in order; the default templates are appended unless `includeDefaults` is false. */
  dirs: readonly string[];
  includeDefaults?: boolean;
  /** Fail on an unknown variable instead of rendering it empty (used by tests of templates). */
  strictVariables?: boolean;
  /** Per-render limits; each defaults to DEFAULT_LIMITS. Exceeding one is AFTERCARE_E_TEMPLATE_RENDER. */
  limits?: Partial<TemplateLimits>;
  /** false renders every template with LiquidJS (for comparisons and benchmarks); default true. */
  compile?: boolean;
}

/** For TemplateRenderer.fromSources: no folders, only the texts given. */
export type SnapshotRendererOptions = Omit<TemplateRendererOptions, 'dirs' | 'includeDefaults'>;

export class TemplateRenderer {
  readonly dirs: readonly string[];
  private readonly liquid: Liquid;
  private readonly partials: PartialFolders;
  /** Prepared once per file (or per snapshot key, `name` or `name.fr`, for fromSources). */
  private readonly prepared = new Map<string, PreparedTemplate>();
  /** Snapshot texts by variant key; empty for a renderer of folders. */
  private readonly adopted = new Map<string, PreparedTemplate>();
  /** Each template's files, by folder and locale, listed once. */
  private readonly files = new Map<string, LocaleFiles[]>();
  /** `name NUL locale` -> the template that locale gets: one lookup per render. */
  private readonly chosen = new Map<string, Chosen>();
  private readonly limits: TemplateLimits;
  private readonly compile: boolean;
  private readonly strictVariables: boolean;
  /**
   * Subject, title and body render in one pass (a shared scope, one LiquidJS call), joined by a
   * separator no customer data can contain: it holds a NUL and a per-renderer random part that
   * is never shown to anyone.
   */
  private readonly separator = `\u0000${randomBytes(12).toString('hex')}\u0000`;

  constructor(options: TemplateRendererOptions) {
    const dirs = [...options.dirs];
    if (options.includeDefaults !== false) {
      const defaults = defaultTemplatesDir();
      if (!dirs.includes(defaults)) dirs.push(defaults);
    }
    this.dirs = dirs;
    this.partials = new PartialFolders(dirs);
    this.limits = resolveLimits(options.limits);
    this.compile = options.compile !== false;
    this.strictVariables = options.strictVariables ?? false;
    this.liquid = createLiquid({ strictVariables: this.strictVariables, outputLimit: this.limits.output });
  }

  /**
   * A renderer of exactly these templates (name -> text from `sources`), which never reads a
   * file: a playbook version pinned in the database renders as it did when it was planned.
   * Every template is parsed and compiled now; a bad one throws AFTERCARE_E_TEMPLATE_RENDER.
   */
  static fromSources(
    sources: Readonly<Record<string, string>>,
    options: SnapshotRendererOptions = {},
  ): TemplateRenderer {
    const renderer = new TemplateRenderer({ ...options, dirs: [], includeDefaults: false });
    for (const [name, text] of Object.entries(sources)) renderer.adopt(name, text);
    return renderer;
  }

  has(name: string): boolean {
    return this.locales(name).length > 0;
  }

  /**
   * The locales `name` comes in, '' for the base file, sorted (empty when there is no such
   * template). Each is what sources() pins, so every one must load.
   */
  locales(name: string): string[] {
    const found = new Set<string>();
    for (const key of this.adopted.keys()) {
      const variant = parseVariantKey(key);
      if (variant?.name === name) found.add(variant.locale);
    }
    for (const folder of this.filesOf(name)) for (const locale of folder.keys()) found.add(locale);
    return [...found].sort();
  }

  /**
   * Find, read, parse and compile the template a customer in `locale` gets (default: the base
   * file) once; throws TEMPLATE_NOT_FOUND or TEMPLATE_RENDER (syntax).
   */
  load(name: string, locale = ''): TemplateInfo {
    const { name: _n, file, hasSubject, hasTitle, compiled, fallback } = this.template(name, locale);
    return { name, file, hasSubject, hasTitle, compiled, fallback };
  }

  /**
   * The locale the text a customer in `locale` gets is written in: the picked variant's
   * (`de` for de-AT when there is a `name.de.liquid`), or the base language for the base file.
   * A story told in the message must be in this language (core/stories/match.ts).
   */
  writtenIn(name: string, locale: string): string {
    const wanted = resolveLocale(locale, '');
    for (const tag of localeChainOf(wanted)) {
      if (this.adopted.has(variantKey(name, tag))) return tag === '' ? BASE_LANGUAGE : tag;
    }
    const picked = TEMPLATE_NAME.test(name) ? pickLocale(this.filesOf(name), wanted) : null;
    return picked === null || picked.locale === '' ? BASE_LANGUAGE : picked.locale;
  }

  /** Renders the variant for the context's `locale` (templateContext sets it from the customer). */
  render(name: string, context: TemplateContext): RenderedTemplate {
    const { template, speaks } = this.choose(name, localeOf(context));
    if (speaks !== null) context = inLocale(context, speaks);
    const output = this.run(template, template.program?.full, context, 'full');
    const parts = output.split(this.separator);
    if (parts.length !== 3) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_RENDER',
        `template ${name}: front matter and body did not render apart`,
        { template: name, file: template.file },
      );
    }
    const text = tidyBody(parts[2] ?? '');
    const subject = oneLine(parts[0] ?? '');
    return {
      subject,
      title: oneLine(parts[1] ?? ''),
      text,
      html: template.hasSubject ? emailHtml(text, emailView(context, subject)) : null,
    };
  }

  /** Only the subject, as `render(name, context).subject` has it, without rendering the body. */
  renderSubject(name: string, context: TemplateContext): string {
    const { template, speaks } = this.choose(name, localeOf(context));
    if (!template.hasSubject) return '';
    if (speaks !== null) context = inLocale(context, speaks);
    return oneLine(this.run(template, template.program?.subject, context, 'subject'));
  }

  /**
   * Each template's full text with partials inlined (front matter included): what was compiled.
   * TemplateRenderer.fromSources takes it back. The same files always give the same text (it is
   * fingerprinted when a playbook version is pinned). Throws like `load` for a missing template.
   * Every locale variant is included, under `name.<locale>` (what that locale gets, partials in
   * that locale inlined), so a pinned version speaks every language it spoke when it was pinned.
   */
  sources(names: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
      out[name] = this.template(name, '').snapshot;
      for (const locale of this.locales(name))
        if (locale !== '') out[variantKey(name, locale)] = this.template(name, locale).snapshot;
    }
    return out;
  }

  private run(
    template: PreparedTemplate,
    program: Exec | undefined,
    context: TemplateContext,
    part: 'full' | 'subject',
  ): string {
    // The separators are template text too; the output limit does not count them.
    const budget = startBudget(this.limits, part === 'full' ? 2 * this.separator.length : 0);
    try {
      if (program !== undefined) {
        return runCompiled(
          program,
          context,
          { liquid: this.liquid, strictVariables: this.strictVariables },
          budget,
        );
      }
      return renderWithLiquid(
        this.liquid,
        part === 'full' ? template.joined : template.subjectOnly,
        context,
        budget,
      );
    } catch (error) {
      const limit = limitErrorIn(error);
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_RENDER',
        `template ${template.name} (${template.file}): ${limit?.message ?? errorText(error)}`,
        { template: template.name, file: template.file, ...(limit ? { limit: limit.limit } : {}) },
        { cause: error },
      );
    }
  }

  private template(name: string, locale: string): PreparedTemplate {
    return this.choose(name, locale).template;
  }

  private choose(name: string, locale: string): Chosen {
    const key = `${name}\u0000${locale}`;
    const cached = this.chosen.get(key);
    if (cached !== undefined) return cached;
    const wanted = resolveLocale(locale, '');
    const template = this.find(name, wanted);
    // A translated template whose translations do not include the customer's language falls
    // back to its base file, which is English: its dates and money are then written in English
    // too, not "June" text with "junho" dates. A template that comes in no locale at all (a
    // shop writing only in its own language) keeps the customer's formats.
    const language = wanted.split('-')[0] ?? '';
    const others = this.locales(name);
    const speaks =
      language !== '' &&
      language !== BASE_LANGUAGE &&
      others.length > 1 &&
      !others.some((l) => l.split('-')[0] === language)
        ? BASE_LANGUAGE
        : null;
    // Locales are few, but they come from customer data: bound the cache all the same.
    if (this.chosen.size >= MAX_CHOSEN) this.chosen.clear();
    const chosen = { template, speaks };
    this.chosen.set(key, chosen);
    return chosen;
  }

  private find(name: string, wanted: string): PreparedTemplate {
    for (const tag of localeChainOf(wanted)) {
      const adopted = this.adopted.get(variantKey(name, tag));
      if (adopted !== undefined) return adopted;
    }
    const picked = TEMPLATE_NAME.test(name) ? pickLocale(this.filesOf(name), wanted) : null;
    if (picked === null) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_NOT_FOUND',
        `no template "${name}" in ${this.dirs.length > 0 ? this.dirs.join(', ') : 'the templates given'}`,
        { template: name, dirs: this.dirs },
      );
    }
    const known = this.prepared.get(picked.file);
    if (known !== undefined) return known;
    // The template's partials speak its own language: a French file gets `_help.fr.liquid`.
    const settings = { ...this.settings(), partials: this.partials.forLocale(picked.locale) };
    const template = prepareTemplate(readTemplate(picked.file, name), settings);
    this.prepared.set(picked.file, template);
    return template;
  }

  private filesOf(name: string): LocaleFiles[] {
    if (!TEMPLATE_NAME.test(name)) return [];
    let files = this.files.get(name);
    if (files === undefined) this.files.set(name, (files = localeFiles(this.dirs, name)));
    return files;
  }

  /** A snapshot text (`name` or `name.<locale>`): partials are already inlined, so none may be asked for. */
  private adopt(key: string, text: string): void {
    const file = `snapshot:${key}`;
    const variant = parseVariantKey(key);
    if (variant === null) {
      throw new AftercareError('AFTERCARE_E_TEMPLATE_RENDER', `"${key}" is not a template name`, { file });
    }
    const source = { name: variant.name, file, ...splitFrontMatter(text, file) };
    // No partials: a snapshot has them inlined, so an include of one left in it is an error.
    const template = prepareTemplate(source, { ...this.settings(), partials: new Map<string, string>() });
    this.adopted.set(variantKey(variant.name, variant.locale), template);
  }

  private settings() {
    return {
      liquid: this.liquid,
      partials: this.partials.forLocale(''),
      separator: this.separator,
      compile: this.compile,
    };
  }
}

const MAX_CHOSEN = 10_000;
/** The language of base files (`name.liquid`) when a template also comes in other locales. */
const BASE_LANGUAGE = 'en';

interface Chosen {
  template: PreparedTemplate;
  /** The locale to render in instead of the context's (see choose); null keeps the context's. */
  speaks: string | null;
}

/** The context's locale (templateContext puts the customer's there); '' when it has none. */
function localeOf(context: TemplateContext): string {
  const locale = context['locale'];
  return typeof locale === 'string' ? locale : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Subjects and titles go into headers and lists: one line, single spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Liquid tags leave blank lines and trailing spaces behind; keep at most one blank line. */
function tidyBody(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
