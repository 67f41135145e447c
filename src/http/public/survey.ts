// /s/:token: the survey of a check-in (CSAT 1-5 or NPS 0-10, as the touch point's step asks). A
// score in the e-mail's one-click link is only preselected: GET records nothing (mail scanners
// open every link). POST records `survey.answered`, one event per answer; a later answer for the
// same touch point replaces the earlier one where answers are folded (the latest counts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Survey } from '../../core/domain.js';
import type { Pages, TouchPointLink } from './context.js';
import { firstOf, formOf } from './form.js';
import { esc, paragraph } from './layout.js';

export const SCALES: Record<Survey, { first: number; last: number }> = {
  csat: { first: 1, last: 5 },
  nps: { first: 0, last: 10 },
};
export const MAX_COMMENT = 2000;

interface SurveyRequest {
  Params: { token: string };
  Querystring: { score?: string };
}

/** A whole number within the survey's scale, or null. */
export function scoreOf(raw: string | undefined, survey: Survey): number | null {
  const { first, last } = SCALES[survey];
  if (raw === undefined || !/^\d{1,2}$/.test(raw.trim())) return null;
  const score = Number(raw.trim());
  return score >= first && score <= last ? score : null;
}

interface SurveyLink extends TouchPointLink {
  survey: Survey;
}

/** The link, its touch point and the survey its step asks; null once a 404/410 page is sent. */
async function openSurvey(
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<SurveyLink | null> {
  const link = await pages.openTouchPoint(request, reply, token, 'survey');
  if (link === null) return null;
  const { touchPoint } = link;
  await pages.deps.steps.prepare([touchPoint]);
  const survey = pages.deps.steps.resolve(touchPoint)?.step.survey ?? null;
  if (survey === null) {
    pages.notFound(request, reply);
    return null;
  }
  return { ...link, touchPoint, survey };
}

function surveyForm(pages: Pages, link: SurveyLink, selected: number | null, comment: string): string {
  const { t, survey } = link;
  const { first, last } = SCALES[survey];
  const options: string[] = [];
  for (let score = first; score <= last; score++) {
    const id = `score-${score}`;
    options.push(
      `<label for="${id}"><input type="radio" id="${id}" name="score" value="${score}" required${score === selected ? ' checked' : ''}> ${score}</label>`,
    );
  }
  return `<form method="post" action="${esc(`${pages.base}/s/${link.token}`)}">
<fieldset>
<legend>${esc(t.surveyQuestion[survey](pages.deps.config.business.name))}</legend>
<div class="scale">
${options.join('\n')}
</div>
<p class="scale-ends"><span>${esc(t.surveyLow[survey])}</span> <span>${esc(t.surveyHigh[survey])}</span></p>
</fieldset>
<label for="comment">${esc(t.commentLabel)}</label>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT}">${esc(comment)}</textarea>
<p><button type="submit">${esc(t.sendButton)}</button></p>
</form>`;
}

/** Scores this low are unhappy: the thanks page says a person will get in touch. */
function unhappy(survey: Survey, score: number): boolean {
  return survey === 'nps' ? score <= 6 : score <= 2;
}

export function surveyRoutes(app: FastifyInstance, pages: Pages): void {
  app.get<SurveyRequest>('/s/:token', async (request, reply) => {
    const link = await openSurvey(pages, request, reply, request.params.token);
    if (link === null) return reply;
    const selected = scoreOf(request.query.score, link.survey);
    return pages.send(reply, 200, link.t, link.t.surveyTitle, surveyForm(pages, link, selected, ''));
  });

  app.post<SurveyRequest>('/s/:token', async (request, reply) => {
    const link = await openSurvey(pages, request, reply, request.params.token);
    if (link === null) return reply;
    const { t, survey, touchPoint } = link;
    const fields = formOf(request.body);
    const score = scoreOf(firstOf(fields, 'score'), survey);
    const comment = (firstOf(fields, 'comment') ?? '').trim();
    const { first, last } = SCALES[survey];
    if (score === null || comment.length > MAX_COMMENT) {
      const problem = score === null ? t.badScore(survey, first, last) : t.commentTooLong(MAX_COMMENT);
      const body = `${paragraph(problem, 'problem')}${surveyForm(pages, link, score, comment.slice(0, MAX_COMMENT))}`;
      return pages.send(reply, 400, t, t.badRequestTitle, body);
    }
    const now = pages.deps.clock.now();
    await pages.deps.commands.ingest.events([
      {
        id: `survey:${touchPoint.id}:${now}`,
        type: 'survey.answered',
        at: now,
        customerId: touchPoint.customerId,
        orderId: touchPoint.orderId,
        data: {
          survey,
          score,
          comment: comment === '' ? null : comment,
          touchPointId: touchPoint.id,
          source: 'page',
        },
      },
    ]);
    const sorry = unhappy(survey, score) ? paragraph(t.thanksLow) : '';
    return pages.send(
      reply,
      200,
      t,
      t.thanksTitle,
      `${paragraph(t.thanks)}${sorry}${paragraph(t.changeAnswer)}`,
    );
  });
}
