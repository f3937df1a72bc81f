// esbuild plugins for web/'s bundles (scripts/build.mjs).
//
// tsMlsFixes corrects three ts-mls 1.6.4 faults that stop GroupContextExtensions
// commits, which meetings need for locking the group and naming a host
// (docs/web.md, "ts-mls notes"):
//
// 1. external_senders. ts-mls validates the external_senders
// group-context extension of a GroupContextExtensions proposal by decoding
// it as ONE ExternalSender, while RFC 9420 section 12.1.8.1 defines it as a
// list (`ExternalSender external_senders<V>`, which is what Conclave's
// groups carry: the server is external sender 0). The length prefix of the
// list is read as the signature key's, the credential then runs past the
// end, and every commit with a GroupContextExtensions proposal fails with
// "Could not decode external_senders", both when a member creates it and
// when one processes it. The bundles carry a corrected
// `validateExternalSenders`: it decodes the list and asks the
// authentication service about every sender in it, as the original meant to.
//
// 2. The UpdatePath. RFC 9420 section 17.4 marks GroupContextExtensions
// "Path Required: Y" (section 12.4: a commit covering such a proposal must
// carry a path), but ts-mls requires a path only for an empty commit,
// Updates and Removes. Its lock commits went out without one, and
// Conclave's C++ members and server refuse them (MLS-V-COMMIT-001). The
// corrected condition adds GroupContextExtensions; it serves both sides
// (createCommit makes a path, processing requires one).
//
// 3. The provisional GroupContext. A committer encrypts the UpdatePath's
// path secrets to the provisional GroupContext, which carries the new
// extensions of a GroupContextExtensions proposal (RFC 9420 section 12.4.2,
// step "Compute the updated GroupContext" before "Encrypt the path
// secrets"). ts-mls's createCommit encrypts to the old context while its
// own processing (and every RFC implementation) decrypts with the new one,
// so nobody could open the path. The corrected createCommit passes the
// context with the new extensions.
//
// Each original text must be found byte for byte: if a ts-mls update
// changes it the build fails here instead of silently bundling an unfixed
// library (then check whether the fix is still needed).
//
// bundleOnlyTsMls: the Node bundles (tests, fuzzer) keep npm packages
// external, except ts-mls itself, so that they run the fixed code too.

import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

const kPatched = /[\\/]ts-mls[\\/]dist[\\/]src[\\/](clientState|createCommit)\.js$/;

const kOriginal = `async function validateExternalSenders(extensions, authService) {
    const externalSenders = extensions.filter((e) => e.extensionType === "external_senders");
    for (const externalSender of externalSenders) {
        const decoded = decodeExternalSender(externalSender.extensionData, 0);
        if (decoded === undefined)
            return new CodecError("Could not decode external_senders");
        const validCredential = await authService.validateCredential(decoded[0].credential, decoded[0].signaturePublicKey);
        if (!validCredential)
            return new ValidationError("Could not validate external credential");
    }
}`;

const kFixed = `async function validateExternalSenders(extensions, authService) {
    // Patched by web/scripts/ts_mls_fix.mjs: external_senders is a list (RFC 9420 section 12.1.8.1).
    const externalSenders = extensions.filter((e) => e.extensionType === "external_senders");
    for (const externalSender of externalSenders) {
        const data = externalSender.extensionData;
        const decoded = conclaveDecodeExternalSenders(data, 0);
        if (decoded === undefined || decoded[1] !== data.length)
            return new CodecError("Could not decode external_senders");
        for (const sender of decoded[0]) {
            const validCredential = await authService.validateCredential(sender.credential, sender.signaturePublicKey);
            if (!validCredential)
                return new ValidationError("Could not validate external credential");
        }
    }
}
import { decodeVarLenType as conclaveDecodeVarLenType } from "./codec/variableLength.js";
const conclaveDecodeExternalSenders = conclaveDecodeVarLenType(decodeExternalSender);`;

const kPathOriginal =
  "const needsUpdatePath = allProposals.length === 0 || Object.values(grouped.update).length > 0 || Object.values(grouped.remove).length > 0;";
const kPathFixed =
  "const needsUpdatePath = allProposals.length === 0 || Object.values(grouped.update).length > 0 || Object.values(grouped.remove).length > 0 || grouped.group_context_extensions.length > 0; // patched by web/scripts/ts_mls_fix.mjs (RFC 9420 section 17.4)";

const kContextOriginal = `    const [tree, updatePath, pathSecrets, newPrivateKey] = res.needsUpdatePath
        ? await createUpdatePath(res.tree, toLeafIndex(state.privatePath.leafIndex), state.groupContext, state.signaturePrivateKey, cipherSuite, excludeNodes)`;
const kContextFixed = `    // Patched by web/scripts/ts_mls_fix.mjs: the provisional context has the new extensions (RFC 9420 section 12.4.2).
    const conclaveProvisionalContext = res.additionalResult.kind === "memberCommit" && res.additionalResult.extensions.length > 0
        ? { ...state.groupContext, extensions: res.additionalResult.extensions }
        : state.groupContext;
    const [tree, updatePath, pathSecrets, newPrivateKey] = res.needsUpdatePath
        ? await createUpdatePath(res.tree, toLeafIndex(state.privatePath.leafIndex), conclaveProvisionalContext, state.signaturePrivateKey, cipherSuite, excludeNodes)`;

const kFixes = [
  { file: "clientState.js", what: "validateExternalSenders", original: kOriginal, fixed: kFixed },
  { file: "clientState.js", what: "needsUpdatePath", original: kPathOriginal, fixed: kPathFixed },
  { file: "createCommit.js", what: "createCommit's UpdatePath context", original: kContextOriginal, fixed: kContextFixed },
];

/** Applies the fixes to ts-mls's clientState.js and createCommit.js in whatever bundle loads them. */
export const tsMlsFixes = {
  name: "ts-mls-fixes",
  setup(build) {
    build.onLoad({ filter: kPatched }, async (args) => {
      let source = await readFile(args.path, "utf8");
      for (const fix of kFixes.filter((f) => args.path.endsWith(f.file))) {
        if (source.split(fix.original).length !== 2) {
          throw new Error(`${args.path}: ${fix.what} is not the ts-mls 1.6.4 text that web/scripts/ts_mls_fix.mjs corrects`);
        }
        source = source.replace(fix.original, fix.fixed);
      }
      return { contents: source, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/** Node bundles: every npm package stays external but ts-mls (and its own files). */
export const bundleOnlyTsMls = {
  name: "bundle-only-ts-mls",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === "ts-mls" || args.path.startsWith("ts-mls/")) return undefined;
      // Everything else (node:*, ws, playwright-core, and ts-mls's own
      // dependencies @noble/* and @hpke/*) loads from node_modules at run time.
      return { path: args.path, external: true };
    });
  },
};
