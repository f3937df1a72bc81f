// MemberKeys: this client's MLS identity for one meeting: a signature key
// pair, a Basic credential whose identity is the display name (what every
// roster shows), and the KeyPackage the server hands to the host who adds
// us. Its capabilities list the meeting policy extension 0xF0C1, which the
// group's required_capabilities demand and the server checks.

import {
  defaultLifetime,
  encodeMlsMessage,
  generateKeyPackage,
  type Capabilities,
  type CiphersuiteImpl,
  type KeyPackage,
  type PrivateKeyPackage,
} from "ts-mls";

import { kPolicyExtensionType } from "../meeting/policy.js";
import { utf8 } from "../util/bytes.js";
import { kSuiteName } from "./suite.js";

export class MemberKeys {
  private constructor(
    readonly name: string,
    readonly publicPackage: KeyPackage,
    readonly privatePackage: PrivateKeyPackage,
  ) {}

  static async create(name: string, impl: CiphersuiteImpl): Promise<MemberKeys> {
    const capabilities: Capabilities = {
      versions: ["mls10"],
      ciphersuites: [kSuiteName],
      extensions: [kPolicyExtensionType],
      proposals: [],
      credentials: ["basic"],
    };
    const credential = { credentialType: "basic" as const, identity: utf8(name) };
    const kp = await generateKeyPackage(credential, capabilities, defaultLifetime, [], impl);
    return new MemberKeys(name, kp.publicPackage, kp.privatePackage);
  }

  get signaturePublicKey(): Uint8Array {
    return this.publicPackage.leafNode.signaturePublicKey;
  }

  /** The KeyPackage as an MLSMessage, for the `key_package` request. */
  encodedKeyPackage(): Uint8Array {
    return encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: this.publicPackage });
  }
}
