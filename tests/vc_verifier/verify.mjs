// An independent verifier of our credentials: Digital Bazaar's JavaScript stack (@digitalbazaar/vc,
// @digitalbazaar/data-integrity, @digitalbazaar/eddsa-rdfc-2022-cryptosuite, jsonld.js, rdf-canonize), which the
// W3C VC working group's interoperability reports list for eddsa-rdfc-2022. Run by
// tests/certification/test_credentials_independent.py.
//
// Reads one JSON object on stdin:
//   {"credential": {...}, "contexts": {url: document}, "controller": {...controller document...}}
// and prints {"verified": bool, "errors": [string]} on stdout. Every document the verifier loads comes from stdin
// (our shipped contexts, the controller document and its keys) or from the context packages installed here;
// any other URL fails, so no network is used.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import securityContext from '@digitalbazaar/security-context';
import multikeyContext from '@digitalbazaar/multikey-context';

const input = JSON.parse(readFileSync(0, 'utf8'));
const loader = new JsonLdDocumentLoader();
for(const [url, document] of Object.entries(input.contexts)) {
  loader.addStatic(url, document);
}
loader.addStatic(securityContext.SECURITY_CONTEXT_V2_URL,
  securityContext.contexts.get(securityContext.SECURITY_CONTEXT_V2_URL));
loader.addStatic(multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT);
const controller = input.controller;
loader.addStatic(controller.id, controller);
for(const method of controller.verificationMethod) {
  loader.addStatic(method.id, {'@context': controller['@context'], ...method});
}
const documentLoader = loader.build();

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
// The status list is checked by our own verifier; here only the proof is checked.
const checkStatus = async () => ({verified: true});
let result;
try {
  result = await vc.verifyCredential({credential: input.credential, suite, documentLoader, checkStatus});
} catch(e) {
  result = {verified: false, error: e};
}
const errors = [];
const collect = e => {
  if(!e) return;
  if(Array.isArray(e)) { e.forEach(collect); return; }
  errors.push(String(e.message || e));
  if(e.errors) collect(e.errors);
};
collect(result.error);
for(const r of result.results || []) collect(r.error);
process.stdout.write(JSON.stringify({verified: result.verified === true, errors}) + '\n');
