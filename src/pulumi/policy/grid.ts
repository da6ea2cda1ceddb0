/**
 * Policies on the grid's own resources: hubs recent enough to check what a leaf sends
 * (nats-server 2.11.16+ / 2.12.7+), Akash prices under a cap, stateful resources protected, and
 * no private key, NATS seed or creds file in an input that is not a secret one by design.
 * @see https://github.com/nats-io/nats-server/releases/tag/v2.11.16
 * @see https://akash.network/docs/network-features/deployment-lease/
 * @see https://www.pulumi.com/docs/iac/concepts/options/protect/
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parse } from "yaml";
import { enforcesLeafPermissions } from "../../nats/roles.js";
import { get, quadletImage, strings } from "./shared.js";

export const hubsEnforceLeafPermissions: ResourceValidationPolicy = {
  name: "tlos-hub-nats-version",
  description: "Every hub runs nats-server 2.11.16+ (2.12.7+ on 2.12): older hubs do not check what a leaf sends against its permissions, so stolen leaf creds could publish anything.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const files = args.props.files;
    if (!args.type.startsWith("tlos:") || files === null || typeof files !== "object") return;
    for (const [path, content] of Object.entries(files as Record<string, unknown>)) {
      if (!/(^|\/)hubs\/[^/]+\/quadlet\/[^/]+-nats\.container$/.test(path) || typeof content !== "string") continue;
      const image = quadletImage(content) ?? "";
      const tag = /:(v?\d+\.\d+\.\d+)[^@/]*(@|$)/.exec(image)?.[1];
      if (!tag || !enforcesLeafPermissions(tag)) report(`files["${path}"] runs ${JSON.stringify(image)}; allowed: a nats image tagged 2.11.16+ on 2.11, 2.12.7+ on 2.12, or 2.14+`);
    }
  },
};

export interface AkashPriceConfig {
  /**
   * Highest bid price per block and service, per denomination (micro-units).
   * @default { uact: 50000, uakt: 50000 }
   * @see https://akash.network/docs/getting-started/stack-definition-language/#profilesplacement
   */
  readonly maxAmountPerBlock?: Readonly<Record<string, number>>;
}

export const DEFAULT_MAX_AMOUNT_PER_BLOCK: Readonly<Record<string, number>> = { uact: 50_000, uakt: 50_000 };

export const akashPriceCap: ResourceValidationPolicy = {
  name: "tlos-akash-price-cap",
  description: "Every Akash placement bids at most the configured price per block and service (default 50,000 uact ≈ 21,297 ACT per month), in a known denomination.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxAmountPerBlock: { type: "object", additionalProperties: { type: "number", minimum: 0 }, default: DEFAULT_MAX_AMOUNT_PER_BLOCK } } },
  validateResource: (args, report) => {
    const files = args.props.files;
    if (!args.type.startsWith("tlos:akash:") || files === null || typeof files !== "object") return;
    const caps = args.getConfig<AkashPriceConfig>().maxAmountPerBlock ?? DEFAULT_MAX_AMOUNT_PER_BLOCK;
    for (const [path, content] of Object.entries(files as Record<string, unknown>)) {
      if (!path.endsWith("deploy.yaml") || typeof content !== "string") continue;
      let sdl: unknown;
      try {
        sdl = parse(content);
      } catch {
        report(`files["${path}"] is not YAML; allowed: an Akash SDL`);
        continue;
      }
      for (const [placement, p] of Object.entries((get(sdl, "profiles", "placement") ?? {}) as Record<string, unknown>)) {
        for (const [svc, price] of Object.entries((get(p, "pricing") ?? {}) as Record<string, unknown>)) {
          const denom = String(get(price, "denom"));
          const amount = Number(get(price, "amount"));
          const cap = caps[denom];
          if (cap === undefined) report(`files["${path}"] placement ${placement} prices ${svc} in ${JSON.stringify(denom)}; allowed denominations: ${Object.keys(caps).join(", ")}`);
          else if (!(amount <= cap)) report(`files["${path}"] placement ${placement} bids ${amount} ${denom}/block for ${svc}; allowed: at most ${cap} (policy config maxAmountPerBlock)`);
        }
      }
    }
  },
};

/** Types holding state that `pulumi destroy` must not delete by accident. */
export const STATEFUL_TYPES = ["cloudflare:index/r2Bucket:R2Bucket", "kubernetes:core/v1:Namespace", "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"] as const;

export const statefulProtected: ResourceValidationPolicy = {
  name: "tlos-stateful-protected",
  description: "The R2 backup bucket, namespaces and CRDs are protected, so a destroy or an accidental replace cannot delete backups or every custom resource of a kind.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if ((STATEFUL_TYPES as readonly string[]).includes(args.type) && args.opts.protect !== true) report(`${args.name} (${args.type}) is not protected; allowed: protect: true (tlos:protect, default true)`);
  },
};

/** Fields that carry secret material by design (secret inputs of the adapter). */
const SECRET_FIELDS: Readonly<Record<string, readonly RegExp[]>> = {
  "kubernetes:core/v1:Secret": [/^(stringData|data)(\.|$)/],
  "pulumi-nodejs:dynamic:Resource": [/^(sdl|__provider)(\.|$)/],
  "command:local:Command": [/^stdin$/],
  "command:remote:Command": [/^stdin$/, /^connection\.privateKey$/],
  "command:remote:CopyToRemote": [/^connection\.privateKey$/],
};

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, "a private key"],
  [/-----BEGIN USER NKEY SEED-----/, "a NATS creds file"],
  [/\bS[UOANCX][A-Z2-7]{56}\b/, "a NATS nkey seed"],
];

export const noPlainSecrets: ResourceValidationPolicy = {
  name: "tlos-no-plain-secrets",
  description: "No private key, NATS seed or creds file in a plain input (component files, ConfigMaps, labels, commands): secret material goes only in the adapter's secret inputs (secretFiles, Secrets, stdin).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const allowed = args.type.startsWith("tlos:") ? [/^secretFiles(\.|$)/] : (SECRET_FIELDS[args.type] ?? []);
    for (const { path, value } of strings(args.props)) {
      if (allowed.some((r) => r.test(path))) continue;
      const hit = SECRET_PATTERNS.find(([r]) => r.test(value));
      if (hit) report(`${path} holds ${hit[1]} in a plain input; allowed: secret material only in secret inputs (secretFiles, a Kubernetes Secret, stdin)`);
    }
  },
};
