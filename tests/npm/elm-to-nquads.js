// Reads credsweep's `--format elm` output (JSON Lines) as JSON-LD with jsonld.js:
// the Europass context URL is served from a local file, and each line's
// verification checks are expanded in safe mode (a member the context does not
// map is an error, not silently dropped), then written as N-Quads.
// Usage: node elm-to-nquads.js ELM_JSONL CONTEXT_FILE
'use strict';
const fs = require('fs');
const jsonld = require('jsonld');

const kEuropassContext = 'http://data.europa.eu/snb/model/context/edc-ap';
const context = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const documentLoader = async (url) => {
  if (url !== kEuropassContext) throw new Error('no document for ' + url);
  return { contextUrl: null, documentUrl: url, document: context };
};

(async () => {
  const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
  for (const line of lines) {
    const result = JSON.parse(line);
    const doc = { '@context': result['@context'], '@graph': result.verificationCheck };
    process.stdout.write(await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader, safe: true }));
  }
})().catch((e) => {
  process.stderr.write('jsonld: ' + (e.details ? JSON.stringify(e.details) + ' ' : '') + e.message + '\n');
  process.exit(1);
});
