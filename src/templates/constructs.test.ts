// Hand-written templates for each construct the compiler takes (outputs, property access, every
// tag, operators, literal drops, whitespace control, standard and Aftercare filters), compiled and
// rendered against plain LiquidJS's renderSync over seeded random contexts, in the default and
// the strictVariables mode. fallback.test.ts covers the constructs it does not take.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplates } from './compile/output.js';
import { randomContext, randomExtras, seeded } from './contexts.test-helpers.js';
import { assertSame, bothWays, referenceLiquid } from './differential.test-helpers.js';

const CONTEXTS = 120;

export const CONSTRUCTS: Record<string, string> = {
  outputs:
    '[{{ n }}][{{ m }}][{{ s }}][{{ flag }}][{{ xs }}][{{ deep }}][{{ any }}][{{ nothing }}][{{ nums }}]',
  literals:
    '{{ 1 }}{{ -2.50 }}{{ "a\\"b" }}{{ \'x\' }}{{ true }}{{ false }}{{ nil }}{{ null }}{{ empty }}{{ blank }}{{ 1.0 }}{{ (1..4) }}{{ (n..3) }}',
  paths:
    '{{ customer.first_name }}|{{ order.items[0].product_name }}|{{ order.items[-1].sku }}|{{ order.items.first.quantity }}|' +
    '{{ order.items.last.price }}|{{ order.items.size }}|{{ customer.name.size }}|{{ s.size }}|{{ s.length }}|{{ s[0] }}|' +
    '{{ xs[1] }}|{{ deep.a.b.c }}|{{ deep["a"]["b"] }}|{{ deep.list[1].k }}|{{ people.first.name }}|{{ size }}|{{ first }}|' +
    '{{ order["items"].size }}|{{ order.items[n] }}|{{ deep[s] }}|{{ deep.list[nums.first] }}|{{ xs.first.size }}|{{ any.size }}',
  sandbox:
    '{{ customer.constructor }}|{{ xs.__proto__ }}|{{ deep.toString }}|{{ s.constructor.name }}|{{ order.items.constructor }}|' +
    '{{ "abc".size }}|{{ "abc"[1] }}|{{ (1..3).last }}|{{ nil.x }}|{{ empty.size }}|{{ blank.first }}|{{ empty.equals }}',
  assign:
    '{% assign a = s | upcase %}{% assign b = a %}{{ a }}{{ b }}{% assign e = nil %}[{{ e }}]{% assign f = empty %}' +
    '{% if f == "" %}E{% endif %}{% assign customer = "me" %}{{ customer }}{{ customer.first_name }}{% assign size = 3 %}{{ size }}' +
    '{% assign q = nothing %}[{{ q }}]{% assign r = deep.a | json %}{{ r }}',
  capture:
    '{% capture c %}[{{ s }}-{{ n }}]{% endcapture %}{{ c }}{{ c.size }}{% capture "q" %}x{{ c }}{% endcapture %}{{ q }}' +
    '{% capture empty_one %}{% endcapture %}[{{ empty_one }}]{% if empty_one == empty %}EMPTY{% endif %}',
  conditions:
    '{% if flag %}T{% elsif n > 2 %}N{% elsif s contains "a" %}S{% else %}F{% endif %}|' +
    '{% unless flag %}U{% elsif n %}E{% else %}X{% endunless %}|{% unless s %}us{% endunless %}|' +
    '{% if not flag %}not{% endif %}|{% if flag and n or s %}1{% endif %}{% if flag or n and s %}2{% endif %}|' +
    '{% if nothing.deeper.still %}x{% else %}y{% endif %}',
  drops:
    '{% if s == empty %}empty{% endif %}{% if s == blank %}blank{% endif %}{% if xs == empty %}noxs{% endif %}' +
    '{% if any == nil %}nil{% endif %}{% if deep != empty %}d{% endif %}{% if nothing == null %}n{% endif %}' +
    '{% if empty == s %}es{% endif %}{% if blank == flag %}bf{% endif %}{% if nil == nothing %}nn{% endif %}' +
    '{% if any == blank %}ab{% endif %}{% if empty == empty %}ee{% endif %}',
  comparisons:
    '{% if n > m %}a{% endif %}{% if n < m %}b{% endif %}{% if n >= 1 %}c{% endif %}{% if n <= "5" %}d{% endif %}' +
    '{% if s > "M" %}e{% endif %}{% if nil > 1 %}f{% endif %}{% if 1 < nil %}g{% endif %}{% if empty < 2 %}h{% endif %}' +
    '{% if n == m %}i{% endif %}{% if n != m %}j{% endif %}{% if xs == xs %}k{% endif %}{% if words == nums %}l{% endif %}' +
    '{% if 2 >= blank %}o{% endif %}{% if flag == true %}p{% endif %}{% if "1" == 1 %}q{% endif %}',
  contains:
    '{% if words contains s %}w{% endif %}{% if s contains "a" %}a{% endif %}{% if nums contains n %}n{% endif %}' +
    '{% if deep contains "a" %}d{% endif %}{% if nil contains 1 %}x{% endif %}{% if s contains nil %}nn{% endif %}' +
    '{% if xs contains empty %}xe{% endif %}{% if n contains 1 %}n1{% endif %}{% if s contains m %}sm{% endif %}',
  case:
    '{% case s %}{% when "Ana", "Zoë" %}A{% when "" or " " %}B{% when t %}T{% else %}E{% endcase %}|' +
    '{% case n %}{% when 0 %}zero{% when 1 %}one{% when 1, n %}again{% endcase %}|' +
    '{% case flag %}{% when true %}t{% when nil %}nil{% when empty %}e{% else %}o{% else %}o2{% endcase %}|' +
    '{% case s | size %}{% when 0 %}none{% when 3 %}three{% endcase %}',
  for:
    '{% for x in xs %}[{{ forloop.index }}/{{ forloop.length }}:{{ x }}{% if forloop.first %}F{% endif %}' +
    '{% if forloop.last %}L{% endif %}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.rindex0 }}{{ forloop.name }}' +
    '{{ forloop["index"] }}{{ forloop.length.size }}]{% else %}none{% endfor %}{{ forloop.index }}',
  forModifiers:
    '{% for x in nums limit: 2 offset: 1 reversed %}{{ x }},{% endfor %}|{% for x in nums reversed limit: n %}{{ x }}{% endfor %}|' +
    '{% for x in nums offset: m %}{{ x }}{% endfor %}|{% for x in words limit: 0 %}{{ x }}{% else %}E{% endfor %}|' +
    '{% for x in words limit: nil %}{{ x }}{% endfor %}|{% for x in words offset: -1 %}{{ x }}{% endfor %}|' +
    '{% for x in nums reversed: false %}{{ x }}{% endfor %}|{% for x in nums limit: xs.size, offset: "1" %}{{ x }}{% endfor %}',
  forNested:
    '{% for p in people %}{{ p.name }}:{% for t in p.tags %}{{ forloop.index }}{{ t }}{% if forloop.last %};{% endif %}' +
    '{% endfor %}{{ forloop.index }}{{ t }}{% endfor %}|{% for s in words %}{{ s }}{% assign s = "z" %}{{ s }}{% endfor %}{{ s }}|' +
    '{% for order in xs %}{{ order }}{{ order.id }}{% endfor %}{{ order.id }}|{% for x in xs %}{% for x in words %}{{ x }}{% endfor %}{{ x }}{% endfor %}',
  forJumps:
    '{% for x in nums %}{% if x > 2 %}{% break %}{% endif %}{% if x == 0 %}{% continue %}{% endif %}{{ x }}|{% endfor %}' +
    '{% for x in words %}{% capture c %}{{ x }}{% continue %}after{% endcapture %}[{{ c }}]{% endfor %}' +
    '{% for x in nums %}{% case x %}{% when 1 %}{% break %}{% when 1 %}{% comment %}{% endcomment %}X{% endcase %}{{ x }}{% endfor %}' +
    '{% for x in nums %}{% for y in words %}{% break %}{% endfor %}{{ x }}{% if forloop.index == 2 %}{% break %}{% endif %}{% endfor %}',
  ranges:
    '{% for i in (1..3) %}{{ i }}{% endfor %}|{% for i in (n..3) %}{{ i }}{% endfor %}|{% for i in (0..xs.size) %}{{ i }}{% endfor %}|' +
    '{% for i in ("2".."4") %}{{ i }}{% endfor %}|{% for i in (s..2) %}{{ i }}{% endfor %}|{{ (1..3) | join: "-" }}',
  iterables:
    '{% for c in s %}<{{ c }}>{% endfor %}|{% for kv in deep %}{{ kv[0] }}={{ kv[1] }};{% endfor %}|' +
    '{% for x in any %}{{ x }}{% endfor %}|{% for x in n %}{{ x }}{% endfor %}|{% for x in nothing %}{{ x }}{% else %}else{% endfor %}',
  rawCommentLiquid:
    '{% raw %}{{ not }} {% if %}{% endraw %}|{% comment %}{{ hidden }}{% endcomment %}|{% # inline comment %}|' +
    '{% liquid assign z = s | downcase\n echo z\n if flag\n echo "T"\n endif %}|{% echo n | plus: 1 %}|{% echo %}',
  whitespace:
    'a  {%- if flag -%}  b  {%- endif -%}  c\n  {{- s -}}  \n{%- for x in nums -%}\n  {{ x }}\n{%- endfor %}\n  d\n' +
    '{%- assign w = 1 -%}\n\n  e {{ w -}}\n\n{% comment %}x{% endcomment -%}  f',
  stringFilters:
    '{{ s | upcase }}|{{ s | downcase }}|{{ s | capitalize }}|{{ s | append: t }}|{{ s | prepend: "<" }}|{{ s | size }}|' +
    '{{ s | strip }}|{{ s | lstrip }}|{{ s | rstrip }}|{{ s | replace: "a", "b" }}|{{ s | replace_first: "a", t }}|' +
    '{{ s | remove: " " }}|{{ s | truncate: 5 }}|{{ s | truncate: 8, "…" }}|{{ s | truncatewords: 2 }}|' +
    '{{ s | split: "," | join: "+" }}|{{ s | escape }}|{{ s | escape_once }}|{{ s | url_encode }}|{{ s | strip_html }}|' +
    '{{ s | newline_to_br }}|{{ s | slice: 1, 3 }}|{{ s | squish }}|{{ s | number_of_words }}|{{ s | slugify }}|' +
    '{{ s | base64_encode }}|{{ s | sha256 | truncate: 10 }}|{{ n | append: m }}|{{ xs | upcase }}|{{ s | strip: "a" }}',
  defaults:
    '{{ s | default: "d" }}|{{ flag | default: "d", allow_false: true }}|{{ flag | default: "d" }}|{{ nothing | default: s }}|' +
    '{{ xs | default: "none" }}|{{ customer.first_name | default: customer.email | default: "there" }}|{{ nil | default: empty }}',
  arrayFilters:
    '{{ words | join: ", " }}|{{ words | first }}|{{ words | last }}|{{ words | size }}|{{ nums | sort | join: "," }}|' +
    '{{ words | sort_natural | join }}|{{ words | reverse | join }}|{{ words | uniq | join }}|{{ xs | compact | size }}|' +
    '{{ people | map: "name" | join: "/" }}|{{ people | where: "age", 1 | size }}|{{ nums | sum }}|{{ words | concat: nums | size }}|' +
    '{{ xs | json }}|{{ deep | json }}|{{ words | push: "z" | join }}|{{ words | array_to_sentence_string }}|' +
    '{{ people | group_by: "age" | size }}|{{ people | find: "name", "Ana" | json }}|{{ nums | slice: 1, 2 | join }}|{{ people | sort: "age" | map: "age" | join: "," }}',
  mathFilters:
    '{{ n | plus: 1 }}|{{ n | minus: m }}|{{ n | times: 2 }}|{{ n | divided_by: 3 }}|{{ n | divided_by: 0 }}|{{ n | modulo: 3 }}|' +
    '{{ n | round }}|{{ n | round: 2 }}|{{ n | floor }}|{{ n | ceil }}|{{ n | abs }}|{{ n | at_least: 5 }}|{{ n | at_most: 5 }}|' +
    '{{ s | plus: 0 }}|{{ n | divided_by: 2, true }}|{{ m | times: 1.5 | round: 1 }}',
  dateFilters:
    '{{ when | date: "%Y-%m-%d %H:%M" }}|{{ when | date: "%b %e, %Y" }}|{{ when | date_to_xmlschema }}|' +
    '{{ when | date_to_long_string }}|{{ 0 | date: "%s" }}|{{ n | date: "%Y" }}',
  aftercareFilters:
    '{{ order.total | money }}|{{ n | money: "EUR" }}|{{ s | money }}|{{ order.placed_at | local_date }}|' +
    '{{ order.placed_at | local_date: "short" }}|{{ touch_point.due_at | local_time }}|{{ when | local_date: "full" }}|' +
    '{{ nothing | money }}|{{ m | money: t }}|{% for locale in words %}{{ 5 | money }}{% endfor %}|' +
    '{% assign zone = "Asia/Tokyo" %}{{ order.placed_at | local_time }}|{% assign order = deep %}{{ 7 | money }}',
  filterArity: '{{ s | append }}',
  filterArguments:
    '{{ s | append: customer.first_name | prepend: order.id }}|{{ n | plus: nothing }}|{{ s | truncate: xs }}',
};

describe('hand-written constructs: compiled output is byte-identical to LiquidJS', () => {
  for (const strictVariables of [false, true]) {
    const liquid = referenceLiquid(strictVariables);
    for (const [name, source] of Object.entries(CONSTRUCTS)) {
      test(`${name}, strictVariables: ${strictVariables}`, () => {
        const templates = liquid.parse(source);
        const compiled = compileTemplates(templates, liquid);
        assert.ok(compiled.ok, `${name} falls back: ${compiled.ok ? '' : compiled.reason}`);
        const rng = seeded(name.length * 31 + (strictVariables ? 1 : 0));
        const endings = new Set<string>();
        for (let i = 0; i < CONTEXTS; i++) {
          const context = { ...randomContext(rng), ...randomExtras(rng) };
          const both = bothWays(liquid, templates, compiled.run, context);
          assertSame(both.liquid, both.compiled, `${name}, context ${i}`);
          endings.add(both.liquid.ok ? 'rendered' : both.liquid.error.replace(/: .*/, ''));
        }
        // Not vacuous: contexts render (with strictVariables, several of these name variables that
        // are not there on purpose, and then fail, the same way on both paths).
        const compared = endings.has('rendered') || (strictVariables && endings.has('undefined variable'));
        if (name !== 'filterArity') assert.ok(compared, `${name}: ${[...endings].join(', ')}`);
      });
    }
  }
});
