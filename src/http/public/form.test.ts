// The pages' small pure parts: form bodies as browsers and mailbox providers send them
// (URL-encoded with repeated fields; multipart with text fields, files ignored), the language a
// page is shown in, and survey scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formOf, parseMultipart, parseUrlEncoded } from './form.js';
import { languageOf, languageOfHeader } from './texts.js';
import { scoreOf } from './survey.js';

test('URL-encoded: repeated fields keep every value, escapes are decoded', () => {
  assert.deepEqual(parseUrlEncoded('topic=checkins&topic=offers&comment=Gr%C3%BC%C3%9Fe+aus+K%C3%B6ln'), {
    topic: ['checkins', 'offers'],
    comment: ['Grüße aus Köln'],
  });
  assert.deepEqual(parseUrlEncoded('List-Unsubscribe=One-Click'), { 'List-Unsubscribe': ['One-Click'] });
  assert.deepEqual(parseUrlEncoded(''), {});
});

test('multipart: text fields read, files skipped, quoted and bare boundaries', () => {
  const body = [
    '--XyZ',
    'Content-Disposition: form-data; name="List-Unsubscribe"',
    '',
    'One-Click',
    '--XyZ',
    'Content-Disposition: form-data; name="upload"; filename="a.txt"',
    'Content-Type: text/plain',
    '',
    'not a field',
    '--XyZ--',
    '',
  ].join('\r\n');
  const expected = { 'List-Unsubscribe': ['One-Click'] };
  assert.deepEqual(parseMultipart(body, 'multipart/form-data; boundary=XyZ'), expected);
  assert.deepEqual(parseMultipart(body, 'multipart/form-data; boundary="XyZ"'), expected);
  assert.deepEqual(parseMultipart(body, 'multipart/form-data'), {}, 'no boundary, no fields');
});

test('formOf keeps only form fields: a JSON or text body has none', () => {
  assert.deepEqual(formOf({ score: ['4'] }), { score: ['4'] });
  assert.deepEqual(formOf({ score: 4 }), {});
  assert.deepEqual(formOf('score=4'), {});
  assert.deepEqual(formOf(null), {});
});

test('languages: the customer locale, or the browser, else English', () => {
  assert.equal(languageOf('de-AT'), 'de');
  assert.equal(languageOf('DE'), 'de');
  assert.equal(languageOf('it-IT'), 'en');
  assert.equal(languageOf('fr-CA'), 'fr');
  assert.equal(languageOf('es_MX'), 'es');
  assert.equal(languageOf('pt-BR'), 'en');
  assert.equal(languageOf('frr'), 'en', 'North Frisian is not French');
  assert.equal(languageOf(null), 'en');
  assert.equal(languageOfHeader('fr-CH, de;q=0.8, en;q=0.5'), 'fr');
  assert.equal(languageOfHeader('it-IT, es;q=0.8, en;q=0.5'), 'es');
  assert.equal(languageOfHeader(undefined), 'en');
});

test('scores: whole numbers on the survey scale only', () => {
  assert.equal(scoreOf('0', 'nps'), 0);
  assert.equal(scoreOf(' 10 ', 'nps'), 10);
  assert.equal(scoreOf('0', 'csat'), null);
  assert.equal(scoreOf('5', 'csat'), 5);
  for (const bad of ['11', '-1', '4.5', '1e1', '', 'four', undefined])
    assert.equal(scoreOf(bad, 'nps'), null, String(bad));
});
