// The verification page (docs/verification-page.md): reads what a person drops,
// sends it to POST /v1/verify as JSON Lines, and shows each result as it streams
// back. Credential text is only ever set as text (textContent), never as markup.
'use strict';

(() => {
  const CHECKS = ['format', 'seal', 'revocation', 'accreditation', 'validity'];
  const CHECK_TITLES = {
    format: 'Format', seal: 'Seal', revocation: 'Revocation', accreditation: 'Accreditation', validity: 'Validity',
  };
  const MARKS = { pass: '✓', fail: '✗', skipped: '–' };
  const BATCH_RECORDS = 500;          // records per request
  const BATCH_BYTES = 4 * 1024 * 1024;  // and bytes, below the server's body limit
  const MAX_RETRIES = 20;             // 503 (too many verifications in progress)

  const $ = (id) => document.getElementById(id);
  const state = {
    items: [],        // {seq, source, group, record, result, status: 'queued'|'done'|'error'}
    skipped: [],      // file names that are not credential files
    limits: { max_body_bytes: 16 << 20, max_record_bytes: 8 << 20, max_verify_requests: 4 },
    policy: null,
    queue: [],        // items waiting to be sent
    running: false,
    renderPending: false,
    checkedAt: null,
  };

  // ---- What this server checks --------------------------------------------------

  async function loadPolicy() {
    try {
      const res = await fetch('/v1/policy', { cache: 'no-store' });
      const p = await res.json();
      state.policy = p;
      if (p.limits) Object.assign(state.limits, p.limits);
      if (!p.verification) {
        $('policy-summary').textContent = 'This server does not verify credentials (it was started without verification).';
        return;
      }
      $('policy-summary').textContent = 'In effect on this server: ' + (p.summary || 'the default checks') + '.';
      const dl = $('policy-checks');
      for (const c of CHECKS) {
        if (!p.checks || !p.checks[c]) continue;
        const dt = document.createElement('dt');
        dt.textContent = CHECK_TITLES[c] + (p.required && p.required.includes(c) ? ' (required)' : '');
        const dd = document.createElement('dd');
        dd.textContent = p.checks[c];
        dl.append(dt, dd);
      }
      $('policy-details').hidden = false;
    } catch (e) {
      $('policy-summary').textContent = 'Could not read what this server checks: ' + e.message;
    }
  }

  // ---- Reading what was dropped ---------------------------------------------------

  const CREDENTIAL_FILE = /\.(json|jsonld|jwt|jws|sd-jwt|jsonl|ndjson|txt)(\.gz)?$/i;

  // Files of a drop, with their paths: folders are walked (webkitGetAsEntry).
  async function filesOfDrop(dataTransfer) {
    const entries = [];
    for (const item of dataTransfer.items || []) {
      const entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
      if (entry) entries.push(entry);
    }
    if (!entries.length) return Array.from(dataTransfer.files || [], (f) => ({ file: f, path: f.name }));
    const out = [];
    const walk = async (entry) => {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        out.push({ file, path: entry.fullPath.replace(/^\//, '') });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (!batch.length) break;
          for (const e of batch) await walk(e);
        }
      }
    };
    for (const e of entries) await walk(e);
    return out;
  }

  // The applicant a file belongs to: the first folder level of what was added
  // (inside the folder, when a single folder was added); a file added on its own
  // is its own group.
  function groupsFor(paths) {
    const tops = new Set(paths.map((p) => p.split('/')[0]));
    const oneFolder = tops.size === 1 && paths.every((p) => p.includes('/'));
    return paths.map((p) => {
      const parts = p.split('/');
      if (oneFolder) return parts.length > 2 ? parts[1] : parts[parts.length - 1];
      return parts[0];
    });
  }

  // A decompressed file may grow this far before the page gives up on it (a gzip
  // bomb must not take the tab down).
  const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

  async function textOf(file, path) {
    let bytes = new Uint8Array(await file.arrayBuffer());
    if (/\.gz$/i.test(path)) {
      const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
      const parts = [];
      let total = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > MAX_INFLATED_BYTES) {
          reader.cancel();
          throw Object.assign(new Error('it decompresses to more than ' + formatBytes(MAX_INFLATED_BYTES)),
                              { code: 'record_too_large' });
        }
        parts.push(value);
      }
      bytes = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) ||
        (bytes.length > 1 && (bytes[0] === 0 || bytes[1] === 0))) {
      throw Object.assign(new Error('the file is UTF-16 or UTF-32, not UTF-8'), { code: 'unsupported_encoding' });
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw Object.assign(new Error('the file is not valid UTF-8'), { code: 'malformed_json' });
    }
  }

  // The elements of a JSON array document as they are written (their own bytes:
  // no re-serialising, which would drop duplicate members the server must see and
  // round numbers beyond 2^53). `text` is known to parse as an array.
  function arrayElements(text) {
    const out = [];
    let depth = 0, inString = false, escaped = false, start = -1;
    for (let i = 0; i < text.length; ++i) {
      const ch = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') {
        inString = true;
        if (depth === 1 && start < 0) start = i;
      } else if (ch === '[' || ch === '{') {
        if (depth === 1 && start < 0) start = i;
        ++depth;
      } else if (ch === ']' || ch === '}') {
        --depth;
        if (depth === 0 && start >= 0) out.push(text.slice(start, i).trim());
      } else if (ch === ',' && depth === 1) {
        if (start >= 0) out.push(text.slice(start, i).trim());
        start = -1;
      } else if (depth === 1 && start < 0 && !/\s/.test(ch)) {
        start = i;  // a number, true, false or null
      }
    }
    return out;
  }

  // The records of one file, as the command line would cut them: a .json document
  // is one record (an array, one per element), line formats one per line.
  function recordsOf(text, path) {
    const name = path.replace(/\.gz$/i, '');
    const out = [];
    if (/\.(json|jsonld)$/i.test(name)) {
      if (!text.trim()) return [{ source: path, local: localFailure('empty_record', 'the file is empty') }];
      let doc;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        // Not JSON: on one line (a compact JWS in a .json file) the server judges it
        // as the command line does; over several lines it cannot be one record.
        if (!/[\r\n]/.test(text.trim())) return [{ source: path, record: text.trim() }];
        return [{ source: path, local: localFailure('malformed_json', 'the file is not valid JSON: ' + e.message) }];
      }
      // Valid JSON has no raw line breaks inside strings: as spaces they change
      // nothing, and the record fits on one JSON Lines line.
      const oneLine = (t) => t.replace(/[\r\n]+/g, ' ').trim();
      if (Array.isArray(doc)) {
        arrayElements(text).forEach((el, i) => out.push({ source: path + '#' + (i + 1), record: oneLine(el) }));
        if (!out.length) out.push({ source: path, local: localFailure('empty_record', 'the file is an empty array') });
        return out;
      }
      return [{ source: path, record: oneLine(text) }];
    }
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim()) out.push({ source: path + ':' + (i + 1), record: line.trim() });
    });
    if (!out.length) out.push({ source: path, local: localFailure('empty_record', 'the file is empty') });
    return out;
  }

  // A result made here, for what never reached the server.
  function localFailure(code, message) {
    const checks = {};
    for (const c of CHECKS) {
      checks[c] = { result: 'skipped', code: 'not_checked', message: 'not checked: the record could not be read' };
    }
    checks.format = { result: 'fail', code, message };
    return { verified: false, checks, local: true };
  }

  async function addFiles(list) {
    if (!list.length) return;
    const usable = [];
    for (const f of list) {
      const base = f.path.split('/').pop();
      if (base.startsWith('.') || !CREDENTIAL_FILE.test(base)) state.skipped.push(f.path);
      else usable.push(f);
    }
    usable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const groups = groupsFor(usable.map((f) => f.path));
    for (let i = 0; i < usable.length; ++i) {
      const { file, path } = usable[i];
      let records;
      try {
        records = recordsOf(await textOf(file, path), path);
      } catch (e) {
        records = [{ source: path, local: localFailure(e.code || 'io_error', 'could not be read: ' + e.message) }];
      }
      for (const r of records) addItem(r, groups[i]);
    }
    start();
  }

  function addItem(r, group) {
    const item = { seq: state.items.length, source: r.source, group, record: r.record, result: null, status: 'queued' };
    if (r.local) {
      item.result = Object.assign({ source: r.source }, r.local);
      item.status = 'done';
    } else if ((item.bytes = new TextEncoder().encode(r.record).length) >
               Math.min(state.limits.max_record_bytes, state.limits.max_body_bytes / 2)) {
      const limit = Math.min(state.limits.max_record_bytes, state.limits.max_body_bytes / 2);
      item.result = Object.assign({ source: r.source }, localFailure('record_too_large',
          'larger than this server accepts (' + formatBytes(limit) + ' per credential)'));
      item.status = 'done';
    } else {
      state.queue.push(item);
    }
    state.items.push(item);
  }

  // ---- Verifying: POST /v1/verify, results streamed back ----------------------------

  function start() {
    showResults();
    scheduleRender();
    if (!state.running) run();
  }

  async function run() {
    state.running = true;
    document.body.dataset.state = 'verifying';
    $('progress-area').hidden = false;
    $('message').hidden = true;
    while (state.queue.length) {
      const batch = [];
      let bytes = 0;
      const cap = Math.min(BATCH_BYTES, state.limits.max_body_bytes / 2);
      while (state.queue.length && batch.length < BATCH_RECORDS) {
        const size = state.queue[0].bytes + 1;  // UTF-8 bytes, as the server counts them
        if (batch.length && bytes + size > cap) break;
        bytes += size;
        batch.push(state.queue.shift());
      }
      await verifyBatch(batch);
      updateProgress();
    }
    state.running = false;
    updateProgress();
    scheduleRender();  // which marks the page done once the last results are shown
  }

  async function verifyBatch(batch) {
    const body = batch.map((it) => it.record).join('\n') + '\n';
    for (let attempt = 0; ; ++attempt) {
      let res;
      try {
        res = await fetch('/v1/verify', { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body });
      } catch (e) {
        // A busy server answers before reading the body and closes: the browser may
        // see that as a network error. Verifying again is harmless: try a few times.
        if (attempt < 4) {
          $('progress-text').textContent = 'The connection failed; trying again…';
          await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
          continue;
        }
        return failBatch(batch, 'the server could not be reached (' + e.message + ')');
      }
      if (res.status === 503 && attempt < MAX_RETRIES) {
        const wait = Math.min(30, Math.max(1, parseInt(res.headers.get('Retry-After'), 10) || 1));
        $('progress-text').textContent = 'The server is busy with other verifications; trying again in ' + wait + ' s…';
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      if (res.status === 413) {
        if (batch.length > 1) {  // split and send the halves
          const half = Math.ceil(batch.length / 2);
          await verifyBatch(batch.slice(0, half));
          return verifyBatch(batch.slice(half));
        }
        return failBatch(batch, 'larger than this server accepts in one request (' +
                         formatBytes(state.limits.max_body_bytes) + ')');
      }
      if (!res.ok) {
        let why = 'HTTP ' + res.status;
        try { why = (await res.json()).error || why; } catch (e) { /* not JSON */ }
        return failBatch(batch, res.status === 503 ? 'the server stayed busy: ' + why : why);
      }
      return readResults(res, batch);
    }
  }

  async function readResults(res, batch) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let received = 0;
    const take = (line) => {
      if (!line.trim()) return;
      const result = JSON.parse(line);
      // A line that is not a result (the server's {"error": ...}) ends the batch.
      if (!result.checks) throw new Error(result.error || 'an answer that is not a result');
      // A presentation's credentials follow its line as request:N#K: rows of their own.
      const m = /^request:(\d+)(?:#(\d+))?$/.exec(result.source || '');
      const item = m ? batch[Number(m[1]) - 1] : batch[0];
      if (!item) return;
      if (m && m[2]) {
        const k = Number(m[2]);
        result.source = item.source + '#' + k;
        state.items.push({ seq: item.seq + k / 10000, source: result.source, group: item.group, record: null,
                           result, status: 'done', enclosedIn: item.source });
        return;
      }
      result.source = item.source;
      item.result = result;
      item.status = 'done';
      item.record = null;  // the credential itself is not kept once verified
      ++received;
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          take(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
        }
        updateProgress();
        scheduleRender();
      }
      take(pending);
    } catch (e) {
      return failBatch(batch.filter((it) => it.status !== 'done'), 'the answer broke off (' + e.message + ')');
    }
    state.checkedAt = state.checkedAt || new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (received < batch.length) failBatch(batch.filter((it) => it.status !== 'done'), 'the answer broke off');
  }

  function failBatch(batch, why) {
    for (const it of batch) {
      it.status = 'error';
      it.error = why;
      it.record = null;
    }
    showMessage('Some credentials could not be verified: ' + why + '. Add them again to retry.');
    scheduleRender();
  }

  function showMessage(text) {
    $('message').textContent = text;
    $('message').hidden = false;
  }

  function updateProgress() {
    const total = state.items.length;
    const done = state.items.filter((it) => it.status !== 'queued').length;
    $('progress').max = Math.max(total, 1);
    $('progress').value = done;
    // The live region is read out: at most once every two seconds while verifying.
    const now = Date.now();
    if (state.running && now - (state.announced || 0) < 2000 && done < total) return;
    state.announced = now;
    $('progress-text').textContent = state.running ? 'Verified ' + done + ' of ' + total + '…'
                                                   : 'Verified ' + done + ' of ' + total + '.';
  }

  // ---- The verdict in plain words ---------------------------------------------------

  const day = (s) => (s ? s.slice(0, 10) : '');

  function checkLabel(name, c) {
    if (c.result === 'skipped') return 'Not checked';
    const pass = c.result === 'pass';
    switch (name) {
      case 'format': return pass ? 'Well-formed' : 'Malformed';
      case 'seal': return pass ? 'Sealed by the issuer' : 'Seal not valid';
      case 'revocation':
        if (pass) return 'Not revoked';
        return c.code === 'suspended' ? 'Suspended' : 'Revoked';
      case 'accreditation': return pass ? 'Accredited' : 'Not accredited';
      case 'validity':
        if (pass) return 'In date';
        return c.code === 'not_yet_valid' ? 'Not yet valid' : c.code === 'expired' ? 'Expired' : 'Not valid now';
      default: return c.result;
    }
  }

  const SEAL_WORDS = {
    signature_invalid: 'Altered or forged: the seal does not match the content',
    key_not_authorized_for_issuer: 'Seal does not belong to the issuer named',
    issuer_not_mandated: 'The issuer has no mandate from the awarding body named',
    key_not_valid_at_signing_time: 'Seal key was not the issuer\'s at the signing time',
    not_sealed: 'Not sealed',
    certificate_expired: 'Seal certificate had expired',
    certificate_revoked: 'Seal certificate revoked',
    certificate_untrusted: 'Sealed by a certificate that is not trusted',
    holder_mismatch: 'Handed in by someone other than its holder',
    key_not_found: 'Seal cannot be checked: the issuer\'s key is unknown',
    key_unavailable: 'Seal cannot be checked: the issuer\'s keys could not be fetched',
    timestamp_invalid: 'Seal timestamp is not valid',
    seal_level_insufficient: 'Seal level below what this server requires',
  };
  const ACCREDITATION_WORDS = {
    accreditation_expired: 'accreditation had expired',
    accreditation_suspended: 'accreditation suspended',
    accreditation_revoked: 'accreditation revoked',
    out_of_scope: 'accreditation does not cover this course',
    no_accreditation_record: 'no accreditation record found',
    accreditation_unavailable: 'accreditation record could not be fetched',
    accreditation_chain_broken: 'accreditation chain is broken',
  };

  // {kind: 'valid'|'invalid'|'pending'|'error', text}
  function verdictOf(item) {
    if (item.status === 'queued') return { kind: 'pending', text: 'Verifying…' };
    if (item.status === 'error') return { kind: 'error', text: 'Not verified: ' + item.error };
    const r = item.result;
    if (r.kind === 'presentation') return presentationVerdict(r);
    if (r.verified) return { kind: 'valid', text: 'Valid' };
    const c = r.checks;
    if (c.format.result === 'fail') {
      const words = { malformed_json: 'not valid JSON', empty_record: 'empty', record_too_large: 'too large',
                      unsupported_encoding: 'not UTF-8 text', unsupported_envelope: 'an encrypted or COSE-secured ' +
                      'credential, which this server does not read', bad_enveloped_credential: 'the presentation ' +
                      'holds something that is not a credential', profile_incomplete: 'it lacks ' +
                      'elements a micro-credential must carry' };
      return { kind: 'invalid', text: 'Not a valid credential: ' + (words[c.format.code] || c.format.message) };
    }
    if (c.seal.result === 'fail') {
      return { kind: 'invalid', text: SEAL_WORDS[c.seal.code] || 'Seal not valid (' + c.seal.code + ')' };
    }
    if (c.revocation.result === 'fail') {
      const m = /(revoked|suspended) since (\S+) \((.*?)\)(;|$)/.exec(c.revocation.message);
      const what = c.revocation.code === 'suspended' ? 'Suspended' : 'Revoked';
      if (m) return { kind: 'invalid', text: what + (what === 'Revoked' ? ' on ' : ' since ') + day(m[2]) +
                                              (m[3] ? ': ' + m[3] : '') };
      return { kind: 'invalid', text: what };
    }
    if (c.accreditation.result === 'fail') {
      return { kind: 'invalid', text: 'Awarding body not accredited: ' +
                                      (ACCREDITATION_WORDS[c.accreditation.code] || c.accreditation.code) };
    }
    if (c.validity.result === 'fail') {
      const m = /(expired at|valid from) (\S+)/.exec(c.validity.message);
      if (c.validity.code === 'expired') return { kind: 'invalid', text: 'Expired' + (m ? ' on ' + day(m[2]) : '') };
      if (c.validity.code === 'not_yet_valid') {
        return { kind: 'invalid', text: 'Not yet valid' + (m ? ' (from ' + day(m[2]) + ')' : '') };
      }
      return { kind: 'invalid', text: 'Not valid now (' + c.validity.code + ')' };
    }
    const skipped = CHECKS.filter((n) => c[n].result === 'skipped' && state.policy &&
                                         (state.policy.required || []).includes(n));
    return { kind: 'invalid', text: 'Not verified: ' + (skipped.length ? skipped.join(', ') + ' could not be checked'
                                                                     : 'a required check did not pass') };
  }

  const PRESENTATION_WORDS = {
    not_sealed: 'not signed by its holder',
    nonce_mismatch: 'it answers another challenge than this verifier\'s',
    audience_mismatch: 'it is meant for another verifier',
    presentation_not_fresh: 'it was made too long ago for this challenge',
    signature_invalid: 'altered or forged',
    key_not_authorized_for_issuer: 'not signed by the holder it names',
  };

  // A presentation's own verdict: its holder's proof and challenge, then its credentials.
  function presentationVerdict(r) {
    const c = r.checks;
    const n = r.credentials ? r.credentials.count : 0;
    const ok = r.credentials ? r.credentials.verified : 0;
    if (r.verified) return { kind: 'valid', text: 'Valid presentation of ' + plural(n, 'credential') };
    if (c.format.result === 'fail') return { kind: 'invalid', text: 'Not a valid presentation: ' + c.format.message };
    if (c.seal.result === 'fail') {
      return { kind: 'invalid', text: 'Presentation not valid: ' + (PRESENTATION_WORDS[c.seal.code] || c.seal.message) };
    }
    if (c.validity.result === 'fail') return { kind: 'invalid', text: 'Presentation expired' };
    return { kind: 'invalid', text: 'Presentation: ' + ok + ' of ' + plural(n, 'credential') + ' valid' };
  }

  // ---- Showing the results ----------------------------------------------------------

  function showResults() {
    $('results').hidden = false;
  }

  function scheduleRender() {
    if (state.renderPending) return;
    state.renderPending = true;
    requestAnimationFrame(() => {
      state.renderPending = false;
      render();
    });
  }

  // Duplicate credential ids: the source of the first item with the same id.
  function duplicates() {
    const first = new Map();
    const dup = new Map();
    // In input order (a presentation's credentials follow it); a presentation's own
    // id names no credential.
    for (const it of state.items.slice().sort((a, b) => a.seq - b.seq)) {
      const id = it.result && it.result.kind !== 'presentation' && it.result.id;
      if (!id) continue;
      if (first.has(id)) dup.set(it, first.get(id));
      else first.set(id, it.source);
    }
    return dup;
  }

  // The items in the chosen order; `shown`: only those the failure filter shows
  // (downloads take them all).
  function sortedItems(shown) {
    const key = $('sort-by').value;
    let items = state.items.slice();
    if (shown && $('failures-only').checked) items = items.filter((it) => verdictOf(it).kind !== 'valid');
    const text = (it, f) => ((it.result && it.result[f]) || '').toLocaleLowerCase();
    const rank = { error: 0, invalid: 1, pending: 2, valid: 3 };
    const by = {
      input: (a, b) => a.seq - b.seq,
      verdict: (a, b) => rank[verdictOf(a).kind] - rank[verdictOf(b).kind] || a.seq - b.seq,
      subject: (a, b) => text(a, 'subject').localeCompare(text(b, 'subject')) || a.seq - b.seq,
      title: (a, b) => text(a, 'title').localeCompare(text(b, 'title')) || a.seq - b.seq,
      issuer: (a, b) => text(a, 'issuer').localeCompare(text(b, 'issuer')) || a.seq - b.seq,
    }[key] || ((a, b) => a.seq - b.seq);
    return items.sort(by);
  }

  function groupsOf(items) {
    if (!$('group-by-applicant').checked) return [{ name: '', items }];
    const order = [];
    const byName = new Map();
    for (const it of state.items) {
      if (!byName.has(it.group)) {
        byName.set(it.group, []);
        order.push(it.group);
      }
    }
    for (const it of items) byName.get(it.group).push(it);
    return order.map((name) => ({ name, items: byName.get(name) })).filter((g) => g.items.length);
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }

  function render() {
    const items = sortedItems(true);
    const dup = duplicates();
    const tables = $('tables');
    // Results stream in while a person reads: reasons they opened stay open, and
    // keyboard focus stays where it was.
    const keyOf = (d) => d.closest('tr').dataset.seq + ':' + d.closest('td').dataset.check;
    const open = new Set(Array.from(tables.querySelectorAll('details[open]'), keyOf));
    const focused = document.activeElement && tables.contains(document.activeElement) &&
                    document.activeElement.closest('details') ? keyOf(document.activeElement.closest('details')) : null;
    tables.replaceChildren();
    for (const g of groupsOf(items)) {
      const all = state.items.filter((it) => it.group === g.name);
      const bad = all.filter((it) => ['invalid', 'error'].includes(verdictOf(it).kind)).length;
      const pending = all.filter((it) => it.status === 'queued').length;
      const section = el('section', { class: 'group', 'data-group': g.name });
      if (g.name) {
        section.append(el('h3', {}, g.name + ' ',
            el('span', { class: 'group-summary' }, '(' + plural(all.length, 'credential') + ', ' +
                (pending ? pending + ' being verified' + (bad ? ', ' + bad + ' not valid' : '')
                         : bad ? bad + ' not valid' : 'all valid') + ')')));
      }
      const table = el('table', {});
      table.append(el('caption', { class: 'visually-hidden' }, g.name ? 'Credentials of ' + g.name : 'Credentials'));
      const head = el('tr', {});
      for (const h of ['Verdict', 'Who', 'What', 'Issuer and awarding body', ...CHECKS.map((c) => CHECK_TITLES[c]),
                       'File']) {
        head.append(el('th', { scope: 'col' }, h));
      }
      table.append(el('thead', {}, head));
      const body = el('tbody', {});
      for (const it of g.items) body.append(row(it, dup.get(it)));
      table.append(body);
      section.append(table);
      tables.append(section);
    }
    for (const d of tables.querySelectorAll('td.check details')) {
      const key = keyOf(d);
      if (open.has(key)) d.open = true;
      if (key === focused) d.querySelector('summary').focus();
    }
    renderCounts();
    if (!state.running && state.items.length) document.body.dataset.state = 'done';
  }

  function row(it, duplicateOf) {
    const v = verdictOf(it);
    const r = it.result || {};
    const tr = el('tr', { class: 'credential ' + v.kind, 'data-verdict': v.kind, 'data-seq': it.seq });
    const verdict = el('td', { class: 'verdict', 'data-label': 'Verdict' }, v.text);
    if (duplicateOf) verdict.append(el('span', { class: 'note' }, 'Also handed in as ' + duplicateOf));
    tr.append(verdict);
    tr.append(el('td', { 'data-label': 'Who' }, r.subject || '—'));
    tr.append(el('td', { 'data-label': 'What' }, r.title || '—'));
    const issuer = el('td', { class: 'issuer', 'data-label': 'Issuer' }, r.issuer || '—');
    if (r.awarding_body && r.awarding_body !== r.issuer) {
      issuer.append(el('span', { class: 'note' }, 'awarded by ' + r.awarding_body));
    }
    tr.append(issuer);
    for (const name of CHECKS) {
      const c = r.checks && r.checks[name];
      if (!c) {
        tr.append(el('td', { class: 'check', 'data-check': name, 'data-label': CHECK_TITLES[name] }, '…'));
        continue;
      }
      const label = checkLabel(name, c);
      const td = el('td', { class: 'check ' + c.result, 'data-check': name, 'data-result': c.result,
                            'data-code': c.code, 'data-label': CHECK_TITLES[name], title: c.message });
      td.append(el('details', {},
          el('summary', { 'aria-label': CHECK_TITLES[name] + ': ' + label + ' (details)' },
             el('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[c.result] || '?'), label),
          el('p', {}, c.message + (c.code && c.code !== 'ok' ? ' [' + c.code + ']' : ''))));
      tr.append(td);
    }
    tr.append(el('td', { class: 'source', 'data-label': 'File' }, it.source));
    return tr;
  }

  function renderCounts() {
    const isPresentation = (it) => it.result && it.result.kind === 'presentation';
    const credentials = state.items.filter((it) => !isPresentation(it));
    const n = credentials.length;
    const valid = credentials.filter((it) => verdictOf(it).kind === 'valid').length;
    const pending = credentials.filter((it) => it.status === 'queued').length;
    let text = plural(n, 'credential') + ': ' + valid + ' valid, ' + (n - valid - pending) + ' not valid' +
               (pending ? ', ' + pending + ' being verified' : '') + '.';
    const presentations = state.items.filter(isPresentation);
    if (presentations.length) {
      const good = presentations.filter((it) => it.result.verified).length;
      text += ' ' + plural(presentations.length, 'presentation') + ' (the credentials in them counted above): ' +
              good + ' valid.';
    }
    if (state.skipped.length) {
      text += ' ' + plural(state.skipped.length, 'file') + ' skipped (not a credential file: ' +
              state.skipped.slice(0, 5).join(', ') + (state.skipped.length > 5 ? ', …' : '') + ').';
    }
    $('counts').textContent = text;
  }

  const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');
  const formatBytes = (n) => (n >= 1 << 20 ? (n / (1 << 20)).toFixed(0) + ' MiB' : Math.ceil(n / 1024) + ' KiB');

  // ---- Saving the results -----------------------------------------------------------

  // The columns of `credsweep verify --format csv --group-by folder`, and the verdict.
  function csvText() {
    const guard = (s) => (/^[=+\-@\t\r]/.test(s) ? "'" + s : s);
    const field = (s, isText) => {
      s = s === null || s === undefined ? '' : String(s);
      if (isText) s = guard(s);
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const header = ['group', 'source', 'kind', 'id', 'issuer', 'subject', 'title', 'awarding_body', 'issued',
                    'valid_until', 'verified'];
    for (const c of CHECKS) header.push(c + '_result', c + '_code');
    header.push('duplicate_of', 'verdict');
    const lines = [header.join(',')];
    const dup = duplicates();
    for (const g of groupsOf(sortedItems(false))) {
      for (const it of g.items) {
        const r = it.result || {};
        const f = [field(it.group, true), field(it.source, true), r.kind || '', field(r.id, true), field(r.issuer, true),
                   field(r.subject, true), field(r.title, true), field(r.awarding_body, true), field(r.issued),
                   field(r.valid_until), it.status === 'done' ? String(!!r.verified) : ''];
        for (const c of CHECKS) {
          const k = r.checks && r.checks[c];
          f.push(k ? k.result : '', k ? field(k.code) : '');
        }
        f.push(field(dup.get(it) || '', true), field(verdictOf(it).text, true));
        lines.push(f.join(','));
      }
    }
    return lines.join('\r\n') + '\r\n';
  }

  function escapeHtml(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g,
        (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
  }

  // A self-contained page (no script, styles inline) of what is shown now.
  function reportHtml() {
    const dup = duplicates();
    const css = 'body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}table{border-collapse:collapse;' +
                'width:100%;font-size:.85rem}th,td{border-bottom:1px solid #d0d7de;padding:.3rem;text-align:left;' +
                'vertical-align:top}th{background:#f6f8fa}.valid{color:#116329}.invalid,.error,.fail{color:#a40e26}' +
                '.skipped{color:#6e5a00}.msg{display:block;color:#57606a;font-size:.75rem}';
    let h = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Credential verification report</title>' +
            '<style>' + css + '</style></head><body><h1>Credential verification report</h1>';
    h += '<p>Verified by credsweep at ' + escapeHtml(state.checkedAt || new Date().toISOString()) + '. ' +
         escapeHtml($('counts').textContent) + '</p>';
    if (state.policy && state.policy.summary) h += '<p>Checks in effect: ' + escapeHtml(state.policy.summary) + '.</p>';
    for (const g of groupsOf(sortedItems(false))) {
      if (g.name) h += '<h2>' + escapeHtml(g.name) + '</h2>';
      h += '<table><thead><tr><th>Verdict</th><th>Who</th><th>What</th><th>Issuer</th>';
      for (const c of CHECKS) h += '<th>' + CHECK_TITLES[c] + '</th>';
      h += '<th>File</th></tr></thead><tbody>';
      for (const it of g.items) {
        const v = verdictOf(it);
        const r = it.result || {};
        h += '<tr class="credential ' + v.kind + '"><td class="' + v.kind + '">' + escapeHtml(v.text) +
             (dup.get(it) ? '<span class="msg">Also handed in as ' + escapeHtml(dup.get(it)) + '</span>' : '') +
             '</td><td>' + escapeHtml(r.subject || '—') + '</td><td>' + escapeHtml(r.title || '—') + '</td><td>' +
             escapeHtml(r.issuer || '—') +
             (r.awarding_body && r.awarding_body !== r.issuer ? '<span class="msg">awarded by ' +
              escapeHtml(r.awarding_body) + '</span>' : '') + '</td>';
        for (const c of CHECKS) {
          const k = r.checks && r.checks[c];
          h += k ? '<td class="' + k.result + '">' + MARKS[k.result] + ' ' + escapeHtml(checkLabel(c, k)) +
                   '<span class="msg">' + escapeHtml(k.message) + '</span></td>' : '<td></td>';
        }
        h += '<td>' + escapeHtml(it.source) + '</td></tr>';
      }
      h += '</tbody></table>';
    }
    return h + '</body></html>\n';
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- Wiring -------------------------------------------------------------------------

  function init() {
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      filesOfDrop(e.dataTransfer).then(addFiles);
    });
    // A drop beside the zone must not make the browser open the file instead.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
    $('files').addEventListener('change', (e) => {
      addFiles(Array.from(e.target.files, (f) => ({ file: f, path: f.name })));
      e.target.value = '';
    });
    $('folder').addEventListener('change', (e) => {
      addFiles(Array.from(e.target.files, (f) => ({ file: f, path: f.webkitRelativePath || f.name })));
      e.target.value = '';
    });
    let pasted = 0;
    $('paste-verify').addEventListener('click', () => {
      const text = $('paste-text').value;
      if (!text.trim()) return;
      const name = 'pasted-' + ++pasted + (text.trim().startsWith('{') || text.trim().startsWith('[') ? '.json' : '.jwt');
      for (const r of recordsOf(text, name)) addItem(r, name);
      $('paste-text').value = '';
      start();
    });
    for (const id of ['failures-only', 'group-by-applicant', 'sort-by']) $(id).addEventListener('change', render);
    $('download-csv').addEventListener('click', () => download('credsweep-results.csv', 'text/csv', csvText()));
    $('download-html').addEventListener('click', () => download('credsweep-report.html', 'text/html', reportHtml()));
    $('clear').addEventListener('click', () => {
      if (state.running) return;
      state.items = [];
      state.skipped = [];
      state.checkedAt = null;
      $('results').hidden = true;
      $('progress-area').hidden = true;
      $('message').hidden = true;
      render();
    });
    loadPolicy().then(() => {
      if (document.body.dataset.state === 'loading') document.body.dataset.state = 'ready';
    });
  }

  init();
})();
