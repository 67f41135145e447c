// The effectiveness pages over real HTTP on loopback, on a history the production engine made with
// a holdout: every number of the lift cards is the one commands.reports.summary gives for the same
// filter, the charts carry their text alternatives, the JSON and HTML downloads are that same
// report; a bad filter is shown next to its field; two imported teams are compared with their
// agreement and largest disagreements; action items are added and marked done through the forms
// (errors next to the field), and only actions.manage may post them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report, ReportQuery } from '../../src/engine/commands/report.js';
import { esc } from '../../src/http/dashboard/layout.js';
import { count, liftDifference, liftInterval, liftMagnitude, liftValue } from '../../src/report/format.js';
import { formatReportHtml } from '../../src/report/html.js';
import { presentReport } from '../../src/report/present.js';
import { Client, USERS } from './dashboardWorld.js';
import { openEffectivenessWorld, type EffectivenessWorld } from './effectivenessWorld.js';

let w: EffectivenessWorld;

async function signedIn(role: keyof typeof USERS): Promise<Client> {
  const client = new Client(w.base);
  assert.equal((await client.signIn(USERS[role])).status, 303);
  return client;
}

async function page(client: Client, path: string): Promise<{ status: number; html: string }> {
  const response = await client.request('GET', path);
  return { status: response.status, html: await response.text() };
}

/** The HTML of the element with this id, up to the end of its section. */
function sectionOf(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `no element ${id}`);
  return html.slice(at, html.indexOf('</section>', at));
}

/** Every number of the report's lift, as the page must show it, card by card. */
function assertLiftCards(html: string, report: Report): void {
  assert.ok(html.includes(`${count(report.population.treatment.firstOrders)} in the program`));
  assert.ok(html.includes(`${count(report.population.holdout.firstOrders)} held out`));
  for (const lift of report.lift) {
    const card = sectionOf(html, `lift-${lift.metric}`);
    const expected = [
      `<dt>Program</dt><dd>${liftValue(lift.metric, lift.treatment.value)} <span class="muted">(n = ${count(lift.treatment.n)})`,
      `<dt>Holdout</dt><dd>${liftValue(lift.metric, lift.holdout.value)} <span class="muted">(n = ${count(lift.holdout.n)})`,
      `">${esc(liftDifference(lift.metric, lift.difference))}</p>`,
      `confidence interval</dt><dd>${esc(liftInterval(lift))}</dd>`,
      `(MDE)</dt><dd>${esc(liftMagnitude(lift.metric, lift.mde))}</dd>`,
      esc(lift.verdict),
    ];
    for (const text of expected) assert.ok(card.includes(text), `${lift.metric}: ${text} in ${card}`);
    assert.match(card, /<svg role="img"/, `${lift.metric}: its chart`);
  }
}

before(async () => {
  w = await openEffectivenessWorld();
});
after(async () => {
  await w?.close();
});

describe('effectiveness pages over HTTP', () => {
  test('the report page shows the numbers of commands.reports.summary, with charts that have text alternatives', async () => {
    const report = await w.composed.commands.reports.summary({});
    assert.ok(report.population.holdout.firstOrders > 0, 'the seeded world has a holdout');
    assert.ok(
      report.lift.some((l) => l.ci95 !== null && l.mde !== null),
      'at least one metric has an interval and an MDE',
    );
    const viewer = await signedIn('viewer');
    const { status, html } = await page(viewer, '/dashboard/effectiveness');
    assert.equal(status, 200);
    assert.doesNotMatch(html, /<script/i);
    assertLiftCards(html, report);
    // Gaps: the quadrant chart and every interaction with its gap, largest first.
    assert.ok(html.includes('Importance against performance of each interaction'));
    for (const g of report.gaps.interactions) {
      const row = html.slice(html.indexOf(`<tr><th scope="row">${esc(g.name)}</th>`));
      assert.ok(row.length < html.length, `${g.name}: its row`);
      const cells = row.slice(0, row.indexOf('</tr>'));
      assert.ok(cells.includes(`<td>${g.gap === null ? '–' : g.gap.toFixed(2)}</td>`), cells);
    }
    // Each playbook version's orders, as the report counts them.
    for (const playbook of report.metrics.playbooks)
      for (const version of playbook.versions)
        assert.ok(
          html.includes(
            `<tr><th scope="row">v${version.version}</th><td>${count(version.outcomes.orders)}</td>`,
          ),
          `${playbook.playbook} v${version.version} orders`,
        );
    // Metrics per step of each playbook version, as a chart.
    for (const playbook of report.metrics.playbooks)
      for (const version of playbook.versions)
        assert.ok(
          new RegExp(
            `<title id="chart\\d+t">${playbook.playbook} v${version.version}: touch points per step</title>`,
          ).test(html),
          `${playbook.playbook} v${version.version}`,
        );
    // Every chart is named by a title and described by a desc that are on the page.
    const charts = [...html.matchAll(/<svg role="img"[^>]*aria-labelledby="([^"]+)"/g)];
    assert.ok(charts.length >= report.lift.length + 1 + report.metrics.playbooks.length);
    for (const [, labelledBy] of charts) {
      const [title, desc] = labelledBy!.split(' ');
      assert.match(html, new RegExp(`<title id="${title}">[^<]+</title><desc id="${desc}">[^<]+</desc>`));
    }
  });

  test('the filter narrows the report, and the downloads are the same report as JSON and as the HTML file', async () => {
    const filter: ReportQuery = { since: '2026-08-15', until: '2026-09-20', playbook: 'reassure' };
    const report = await w.composed.commands.reports.summary(filter);
    const all = await w.composed.commands.reports.summary({});
    assert.ok(report.population.treatment.orders < all.population.treatment.orders, 'narrower');
    const manager = await signedIn('manager');
    const { status, html } = await page(
      manager,
      '/dashboard/effectiveness?since=2026-08-15&until=2026-09-20&playbook=reassure',
    );
    assert.equal(status, 200);
    assert.match(html, /id="since" name="since" type="date" value="2026-08-15"/);
    assertLiftCards(html, report);

    const links = [...html.matchAll(/href="(\/dashboard\/effectiveness\/report\.(json|html)[^"]*)"/g)];
    assert.deepEqual(
      links.map((l) => l[2]),
      ['json', 'html'],
    );
    const json = await manager.request('GET', links[0]![1]!.replaceAll('&amp;', '&'));
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(
      json.headers.get('content-disposition') ?? '',
      /^attachment; filename="aftercare-report-2026-08-15-to-2026-09-20-reassure\.json"$/,
    );
    assert.deepEqual(await json.json(), JSON.parse(JSON.stringify(presentReport(report))));
    const file = await manager.request('GET', links[1]![1]!.replaceAll('&amp;', '&'));
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment; filename=".+\.html"$/);
    assert.equal(await file.text(), formatReportHtml(report));

    // Without a filter the links carry none and give the whole report.
    const whole = await page(manager, '/dashboard/effectiveness');
    assert.ok(whole.html.includes('href="/dashboard/effectiveness/report.json"'));
    const wholeJson = await manager.request('GET', '/dashboard/effectiveness/report.json');
    assert.deepEqual(await wholeJson.json(), JSON.parse(JSON.stringify(presentReport(all))));
  });

  test('a bad filter is shown next to its field, and a download with it is refused', async () => {
    const viewer = await signedIn('viewer');
    const cases: [string, string, number][] = [
      ['since=2026-13-01', 'since', 400],
      ['since=2026-09-02&until=2026-09-01', 'until', 400],
      ['playbook=nope', 'playbook', 404],
    ];
    for (const [query, field, expected] of cases) {
      const { status, html } = await page(viewer, `/dashboard/effectiveness?${query}`);
      assert.equal(status, expected, query);
      assert.match(
        html,
        new RegExp(`id="${field}" name="${field}"[^>]*aria-invalid="true" aria-describedby="${field}-error"`),
      );
      assert.match(html, new RegExp(`<p class="field-error" id="${field}-error">[^<]+</p>`));
      assert.doesNotMatch(html, /id="lift"/, 'no report for a refused filter');
    }
    const download = await viewer.request('GET', '/dashboard/effectiveness/report.json?since=2026-13-01');
    assert.equal(download.status, 400);
  });

  test('two imported teams are compared: agreement and where they disagree most', async () => {
    const expected = await w.composed.commands.gaps.compareAudits('support', 'sales');
    assert.ok(expected.ok);
    const viewer = await signedIn('viewer');
    const { status, html } = await page(viewer, '/dashboard/effectiveness/audits?a=support&b=sales');
    assert.equal(status, 200);
    const { alpha, disagreements } = expected.comparison;
    const shown = (v: number | null): string => (v === null ? '–' : v.toFixed(3));
    assert.ok(html.includes(`<td id="alpha-importance">${shown(alpha.importance)}</td>`));
    assert.ok(html.includes(`<td id="alpha-performance">${shown(alpha.performance)}</td>`));
    assert.ok(html.includes(esc(expected.comparison.verdict.importance)));
    const table = html.slice(html.indexOf('id="disagreements"'));
    // Largest disagreement first: support (4), then delivery (2); interactions named as in the catalogue.
    const catalogue = await w.composed.commands.gaps.catalogue();
    const name = (id: string): string => catalogue!.interactions.find((i) => i.id === id)!.name;
    assert.deepEqual(
      disagreements.slice(0, 2).map((d) => [d.interaction, d.distance]),
      [
        ['support', 4],
        ['delivery', 2],
      ],
    );
    const at = (id: string): number => table.indexOf(`<td>${esc(name(id))}</td>`);
    assert.ok(at('support') >= 0 && at('delivery') > at('support'));
    assert.ok(table.includes('sales: replies within a day'));
    // Order-confirmation was scored alike: not a disagreement.
    assert.equal(at('order-confirmation'), -1);

    // No choice yet: the first two teams by name.
    const first = await page(viewer, '/dashboard/effectiveness/audits');
    assert.equal(first.status, 200);
    assert.match(first.html, /<h2 id="agreement">sales and support<\/h2>/);
    // The same team twice, or a team without an audit: the error next to the field.
    const same = await page(viewer, '/dashboard/effectiveness/audits?a=sales&b=sales');
    assert.equal(same.status, 400);
    assert.match(same.html, /<p class="field-error" id="b-error">Choose a team other than the first\.<\/p>/);
    const nobody = await page(viewer, '/dashboard/effectiveness/audits?a=nobody&b=sales');
    assert.equal(nobody.status, 400);
    assert.match(nobody.html, /id="a" name="a" aria-invalid="true"/);
    assert.match(nobody.html, /Team &quot;nobody&quot; has no audit\./);
  });

  test('action items: a manager adds one and marks it done through the forms; errors stay next to their field', async () => {
    const manager = await signedIn('manager');
    const list = await page(manager, '/dashboard/effectiveness/actions');
    assert.equal(list.status, 200);
    assert.match(list.html, /<h2 id="add">Add an action item<\/h2>/);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(list.html)![1]!;

    const noToken = await manager.request('POST', '/dashboard/effectiveness/actions', {
      interaction: 'delivery',
      title: 'x',
      owner: 'y',
      due: '2026-11-01',
    });
    assert.equal(noToken.status, 403);

    const empty = await manager.request('POST', '/dashboard/effectiveness/actions', {
      _csrf,
      interaction: 'delivery',
      title: 'Offer <earlier> delivery slots',
      owner: '',
      due: '',
    });
    assert.equal(empty.status, 400);
    const emptyHtml = await empty.text();
    assert.match(
      emptyHtml,
      /id="new-owner"[^>]*aria-invalid="true"[^>]*><p class="field-error" id="new-owner-error">Owner is required\.<\/p>/,
    );
    assert.match(emptyHtml, /<p class="field-error" id="new-due-error">Due is required\.<\/p>/);
    assert.doesNotMatch(emptyHtml, /new-title-error/);
    assert.match(emptyHtml, /value="Offer &lt;earlier&gt; delivery slots"/, 'what was typed stays');
    assert.match(emptyHtml, /<option value="delivery" selected>/);

    const badDay = await manager.request('POST', '/dashboard/effectiveness/actions', {
      _csrf,
      interaction: 'delivery',
      title: 'Offer <earlier> delivery slots',
      owner: 'ops',
      due: '2026-02-30',
    });
    assert.equal(badDay.status, 400);
    assert.match(
      await badDay.text(),
      /<p class="field-error" id="new-due-error">Due must be a day like 2026-03-02\.<\/p>/,
    );
    const unknown = await manager.request('POST', '/dashboard/effectiveness/actions', {
      _csrf,
      interaction: 'teleportation',
      title: 't',
      owner: 'o',
      due: '2026-11-01',
    });
    assert.equal(unknown.status, 400);
    assert.match(
      await unknown.text(),
      /id="new-interaction-error">No interaction &quot;teleportation&quot; in the catalogue\./,
    );
    assert.deepEqual(await w.composed.commands.gaps.listActions(), [], 'nothing saved from refused forms');

    const added = await manager.request('POST', '/dashboard/effectiveness/actions', {
      _csrf,
      interaction: 'delivery',
      title: 'Offer <earlier> delivery slots',
      owner: 'ops',
      due: '2026-11-01',
    });
    assert.equal(added.status, 303);
    const [item] = await w.composed.commands.gaps.listActions();
    assert.ok(item);
    assert.deepEqual(
      [item.interaction, item.title, item.owner, item.due, item.status],
      ['delivery', 'Offer <earlier> delivery slots', 'ops', '2026-11-01', 'open'],
    );
    assert.equal(added.headers.get('location'), `/dashboard/effectiveness/actions?added=${item.id}`);
    const open = await page(manager, added.headers.get('location')!);
    assert.match(open.html, /Action item added\./);
    assert.ok(open.html.includes(`<span id="action-${item.id}">Offer &lt;earlier&gt; delivery slots</span>`));
    // The report shows it as what is being done about the gap.
    const report = await page(manager, '/dashboard/effectiveness');
    assert.ok(report.html.includes('Offer &lt;earlier&gt; delivery slots'));

    const done = `/dashboard/effectiveness/actions/${item.id}/done`;
    assert.ok(open.html.includes(`action="${done}"`), 'the row has its done form');
    const never = await manager.request('POST', done, { _csrf, playbookVersion: 'reassure@99' });
    assert.equal(never.status, 400);
    assert.match(
      await never.text(),
      new RegExp(
        `id="version-${item.id}"[^>]*value="reassure@99"[^>]*aria-invalid="true"[^>]*><p class="field-error" id="version-${item.id}-error">No version reassure@99 has run here\\.`,
      ),
    );
    const garbled = await manager.request('POST', done, { _csrf, playbookVersion: 'the new one' });
    assert.equal(garbled.status, 400);
    assert.match(await garbled.text(), /Write the version as name@version/);
    assert.equal(
      (await manager.request('POST', '/dashboard/effectiveness/actions/424242/done', { _csrf })).status,
      404,
    );
    assert.equal(
      (await manager.request('POST', '/dashboard/effectiveness/actions/abc/done', { _csrf })).status,
      404,
    );

    const version = `reassure@${w.history.playbooks.find((p) => p.name === 'reassure')!.version}`;
    const marked = await manager.request('POST', done, { _csrf, playbookVersion: version });
    assert.equal(marked.status, 303);
    const [closed] = await w.composed.commands.gaps.listActions();
    assert.equal(closed?.status, 'done');
    assert.equal(closed?.playbookVersion, version);
    const doneList = await page(manager, '/dashboard/effectiveness/actions?status=done');
    assert.ok(doneList.html.includes(`by ${version}`));
    const openList = await page(manager, '/dashboard/effectiveness/actions');
    assert.match(openList.html, /No open action items\./);
    assert.equal((await page(manager, '/dashboard/effectiveness/actions?status=closed')).status, 400);
  });

  test('a viewer reads the action items but may not add or complete one (403), and sees no forms', async () => {
    const added = await w.composed.commands.gaps.addAction({
      interaction: 'support',
      title: 'Answer within a day',
      owner: 'Kim',
      due: '2026-10-15',
    });
    assert.ok(added.ok);
    const viewer = await signedIn('viewer');
    const { status, html } = await page(viewer, '/dashboard/effectiveness/actions');
    assert.equal(status, 200);
    assert.ok(html.includes('Answer within a day'));
    assert.doesNotMatch(html, /Add an action item/);
    assert.doesNotMatch(html, /\/done"/);
    const _csrf = await viewer.csrfFrom('/dashboard/effectiveness/actions');
    const add = await viewer.request('POST', '/dashboard/effectiveness/actions', {
      _csrf,
      interaction: 'support',
      title: 'Sneaky',
      owner: 'me',
      due: '2026-11-01',
    });
    assert.equal(add.status, 403);
    assert.match(await add.text(), /A viewer may not add an action item\./);
    const done = await viewer.request('POST', `/dashboard/effectiveness/actions/${added.action.id}/done`, {
      _csrf,
    });
    assert.equal(done.status, 403);
    const items = await w.composed.commands.gaps.listActions({ interaction: 'support' });
    assert.deepEqual(
      items.map((i) => [i.title, i.status]),
      [['Answer within a day', 'open']],
    );
    // Overdue at the shop's today (2026-10-01 is START): due 2026-10-15 is not late yet.
    assert.doesNotMatch(sectionOf(html, 'items'), /overdue/);
  });
});
