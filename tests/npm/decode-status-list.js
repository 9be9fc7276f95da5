// Decodes an IETF Status List Token with @sd-jwt/jwt-status-list (the SD-JWT JS
// reference libraries), independently of credsweep: prints
// {"bits": N, "statuses": {"idx": value, ...}} for the indexes given.
// Usage: node decode-status-list.js TOKEN_FILE IDX...
'use strict';
const fs = require('fs');
const { getListFromStatusListJWT } = require('@sd-jwt/jwt-status-list');

const token = fs.readFileSync(process.argv[2], 'utf8').trim();
const list = getListFromStatusListJWT(token);
const statuses = {};
for (const idx of process.argv.slice(3)) statuses[idx] = list.getStatus(Number(idx));
process.stdout.write(JSON.stringify({ bits: list.getBitsPerStatus(), statuses }) + '\n');
