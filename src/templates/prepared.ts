// A template made ready to render, once: its parts (subject, title, body) with partials inlined,
// which is also its snapshot text; parsed by LiquidJS, each part alone and then all joined; and
// compiled to JavaScript when the compiler can reproduce LiquidJS exactly, else left to LiquidJS.
import type { Liquid, Template } from 'liquidjs';
import { AftercareError } from '../errors.js';
import { compileTemplates } from './compile/output.js';
import type { Exec } from './compile/compiler.js';
import { inlinePartials, joinFrontMatter, type SourcePart, type TemplateSource } from './load.js';

/** What loading a template tells its caller (load.ts checks a step's template against its channel). */
export interface TemplateInfo {
  name: string;
  /** The file it was read from, or `snapshot:<name>` for TemplateRenderer.fromSources. */
  file: string;
  hasSubject: boolean;
  hasTitle: boolean;
  /** Renders through compiled JavaScript (true) or through LiquidJS (false, see `fallback`). */
  compiled: boolean;
  /** Why it is rendered by LiquidJS; null when compiled. */
  fallback: string | null;
}

export interface PreparedTemplate extends TemplateInfo {
  /** Front matter and body with partials inlined: what TemplateRenderer.sources returns. */
  snapshot: string;
  /** Subject, title and body joined by the separator: one LiquidJS render makes all three. */
  joined: Template[];
  /** The subject alone, for renderSubject. */
  subjectOnly: Template[];
  /** The compiled forms of `joined` and `subjectOnly`; null when LiquidJS renders. */
  program: { full: Exec; subject: Exec } | null;
}

export interface PrepareSettings {
  liquid: Liquid;
  partials: ReadonlyMap<string, string>;
  separator: string;
  /** false leaves every template to LiquidJS. */
  compile: boolean;
}

export function prepareTemplate(source: TemplateSource, settings: PrepareSettings): PreparedTemplate {
  const inline = (part: SourcePart): SourcePart => ({
    text: inlinePartials(part.text, settings.partials, source.file),
    line: part.line,
  });
  const subject = source.subject === null ? null : inline(source.subject);
  const title = source.title === null ? null : inline(source.title);
  const body = inline(source.body);
  const parts = [subject ?? { text: '', line: 1 }, title ?? { text: '', line: 1 }, body];
  // Each part must stand alone (a tag opened in the subject and closed in the body would
  // swallow the separator), so each is parsed on its own first; the joined text is what runs.
  const [subjectOnly] = parts.map((part) => parse('\n'.repeat(part.line - 1) + part.text, source, settings));
  // Padding with newlines keeps Liquid's line numbers equal to the file's; renders trim it.
  let text = '';
  let line = 1;
  parts.forEach((part, i) => {
    if (i > 0) text += settings.separator;
    if (part.line > line) text += '\n'.repeat(part.line - line);
    text += part.text;
    line = Math.max(line, part.line) + (part.text.match(/\n/g)?.length ?? 0);
  });
  const joined = parse(text, source, settings);
  const compiled = settings.compile ? compileBoth(joined, subjectOnly ?? [], settings.liquid) : null;
  return {
    name: source.name,
    file: source.file,
    hasSubject: subject !== null,
    hasTitle: title !== null,
    compiled: compiled?.ok === true,
    fallback: compiled === null ? 'compilation is turned off' : compiled.ok ? null : compiled.reason,
    snapshot: joinFrontMatter({
      subject: subject?.text ?? null,
      title: title?.text ?? null,
      body: body.text,
    }),
    joined,
    subjectOnly: subjectOnly ?? [],
    program: compiled?.ok === true ? compiled.program : null,
  };
}

type Compiled = { ok: true; program: { full: Exec; subject: Exec } } | { ok: false; reason: string };

/** One decision per template: if either form cannot be compiled, LiquidJS renders both. */
function compileBoth(joined: Template[], subject: Template[], liquid: Liquid): Compiled {
  const full = compileTemplates(joined, liquid);
  if (!full.ok) return full;
  const alone = compileTemplates(subject, liquid);
  if (!alone.ok) return alone;
  return { ok: true, program: { full: full.run, subject: alone.run } };
}

function parse(text: string, source: TemplateSource, settings: PrepareSettings): Template[] {
  try {
    return settings.liquid.parse(text, source.file);
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_TEMPLATE_RENDER',
      `template ${source.name} (${source.file}): ${error instanceof Error ? error.message : String(error)}`,
      { template: source.name, file: source.file },
      { cause: error },
    );
  }
}
