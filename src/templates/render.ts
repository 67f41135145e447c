// Rendering touch points with LiquidJS, sandboxed: templates are parsed once and cached, see
// only the context they are given (own properties only), and reach no file: partials
// (`{% include '_footer' %}`) are inlined at load from the template folders, and any other
// include/render/layout finds nothing.
import { randomBytes } from 'node:crypto';
import { Liquid, type FS, type Template } from 'liquidjs';
import { AftercareError } from '../errors.js';
import type { TemplateContext } from './context.js';
import { registerFilters } from './filters.js';
import { textToHtml } from './html.js';
import {
  findTemplateFile,
  inlinePartials,
  readPartials,
  readTemplate,
  type SourcePart,
  type TemplateSource,
} from './load.js';
import { defaultTemplatesDir } from './paths.js';

export { templateContext, type TemplateContext, type TemplateContextInput } from './context.js';

export interface RenderedTemplate {
  /** From the front matter's `subject:`, on one line; '' when the template has none. */
  subject: string;
  /** From the front matter's `title:` (task templates), on one line; '' when none. */
  title: string;
  text: string;
  /** Made from `text` for templates with a subject (messages); null for task scripts. */
  html: string | null;
}

export interface TemplateRendererOptions {
  /** Searched in order; the default templates are appended unless `includeDefaults` is false. */
  dirs: readonly string[];
  includeDefaults?: boolean;
  /** Fail on an unknown variable instead of rendering it empty (used by tests of templates). */
  strictVariables?: boolean;
}

/** What loading a template tells its caller (load.ts checks a step's template against its channel). */
export interface TemplateInfo {
  name: string;
  file: string;
  hasSubject: boolean;
  hasTitle: boolean;
}

interface Compiled extends TemplateInfo {
  templates: Template[];
}

/** A file system with no files: whatever a template tries to include at render time is not there. */
const NO_FILES: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(new Error(`templates cannot read files (${file})`)),
  readFileSync: (file) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_dir, file, ext) => file + ext,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

export class TemplateRenderer {
  readonly dirs: readonly string[];
  private readonly liquid: Liquid;
  private readonly partials: ReadonlyMap<string, string>;
  private readonly compiled = new Map<string, Compiled>();
  /**
   * Subject, title and body render in one Liquid call (a render costs ~20µs; three would triple
   * it), joined by a separator no customer data can contain: it holds a NUL and a per-process
   * random part that is never shown to anyone.
   */
  private readonly separator = `\u0000${randomBytes(12).toString('hex')}\u0000`;

  constructor(options: TemplateRendererOptions) {
    const dirs = [...options.dirs];
    if (options.includeDefaults !== false) {
      const defaults = defaultTemplatesDir();
      if (!dirs.includes(defaults)) dirs.push(defaults);
    }
    this.dirs = dirs;
    this.partials = readPartials(dirs);
    this.liquid = new Liquid({
      fs: NO_FILES,
      root: ['.'],
      partials: ['.'],
      layouts: ['.'],
      extname: '.liquid',
      relativeReference: false,
      cache: true,
      ownPropertyOnly: true,
      strictFilters: true,
      strictVariables: options.strictVariables ?? false,
      lenientIf: true,
    });
    registerFilters(this.liquid);
  }

  has(name: string): boolean {
    return this.compiled.has(name) || findTemplateFile(this.dirs, name) !== null;
  }

  /** Find, read and parse a template once; throws TEMPLATE_NOT_FOUND or TEMPLATE_RENDER (syntax). */
  load(name: string): TemplateInfo {
    const { templates: _templates, ...info } = this.compile(name);
    return info;
  }

  render(name: string, context: TemplateContext): RenderedTemplate {
    const compiled = this.compile(name);
    let output: string;
    try {
      output = String(this.liquid.renderSync(compiled.templates, context));
    } catch (error) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_RENDER',
        `template ${name} (${compiled.file}): ${errorText(error)}`,
        { template: name, file: compiled.file },
        { cause: error },
      );
    }
    const parts = output.split(this.separator);
    if (parts.length !== 3) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_RENDER',
        `template ${name}: front matter and body did not render apart`,
        {
          template: name,
          file: compiled.file,
        },
      );
    }
    const text = tidyBody(parts[2] ?? '');
    return {
      subject: oneLine(parts[0] ?? ''),
      title: oneLine(parts[1] ?? ''),
      text,
      html: compiled.hasSubject ? textToHtml(text) : null,
    };
  }

  private compile(name: string): Compiled {
    const cached = this.compiled.get(name);
    if (cached !== undefined) return cached;
    const file = findTemplateFile(this.dirs, name);
    if (file === null) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_NOT_FOUND',
        `no template "${name}" in ${this.dirs.join(', ')}`,
        {
          template: name,
          dirs: this.dirs,
        },
      );
    }
    const source = readTemplate(file, name);
    const compiled: Compiled = {
      name,
      file,
      hasSubject: source.subject !== null,
      hasTitle: source.title !== null,
      templates: this.parse(source),
    };
    this.compiled.set(name, compiled);
    return compiled;
  }

  private parse(source: TemplateSource): Template[] {
    const parts: SourcePart[] = [
      source.subject ?? { text: '', line: 1 },
      source.title ?? { text: '', line: 1 },
      source.body,
    ].map((part) => ({ text: inlinePartials(part.text, this.partials, source.file), line: part.line }));
    // Each part must stand alone (a tag opened in the subject and closed in the body would
    // swallow the separator), so each is parsed on its own first; the joined text is what runs.
    for (const part of parts) this.parseOrThrow('\n'.repeat(part.line - 1) + part.text, source);
    // Padding with newlines keeps Liquid's line numbers equal to the file's; renders trim it.
    let joined = '';
    let line = 1;
    parts.forEach((part, i) => {
      if (i > 0) joined += this.separator;
      if (part.line > line) joined += '\n'.repeat(part.line - line);
      joined += part.text;
      line = Math.max(line, part.line) + (part.text.match(/\n/g)?.length ?? 0);
    });
    return this.parseOrThrow(joined, source);
  }

  private parseOrThrow(text: string, source: TemplateSource): Template[] {
    try {
      return this.liquid.parse(text, source.file);
    } catch (error) {
      throw new AftercareError(
        'AFTERCARE_E_TEMPLATE_RENDER',
        `template ${source.name} (${source.file}): ${errorText(error)}`,
        { template: source.name, file: source.file },
        { cause: error },
      );
    }
  }
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
