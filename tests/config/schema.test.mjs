// The config's JSON Schema agrees with the Rust validator on one corpus
// (tests/config_schema_agreement.rs checks the Rust side): Ajv accepts
// exactly the entries marked valid, and every config example in the README
// and the demo's config. Run with `node --test tests/config/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');
const schema = JSON.parse(read('../../src/config.schema.json'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

test('the schema accepts exactly the corpus entries marked valid', () => {
  const corpus = JSON.parse(read('./corpus.json'));
  assert.ok(corpus.length > 30);
  for (const { name, valid, config } of corpus) {
    assert.equal(validate(config), valid, `${name}: ${JSON.stringify(validate.errors)}`);
  }
});

test('every config example in the README and the demo is valid', () => {
  const readme = read('../../README.md');
  const examples = [...readme.matchAll(/<!-- config example -->\n```json\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  examples.push(...[...readme.matchAll(/id="koekje-config">(\{[\s\S]*?)<\/script>/g)].map((m) => m[1]));
  assert.ok(examples.length >= 2, `found ${examples.length}`);
  for (const text of [...examples, read('../../www/koekje-config.json')]) {
    assert.ok(validate(JSON.parse(text)), `${text}: ${JSON.stringify(validate.errors)}`);
  }
});

test('a config may name the schema', () => {
  assert.ok(validate({ $schema: 'https://unpkg.com/koekje-consent/dist/koekje-config.schema.json', revision: 1 }));
});
