/**
 * Every rule of Akash's Go parser that chain-sdk's JS validator misses, each with a case Go
 * accepts and one it refuses, and the Go source it comes from (chain-sdk 55f1c68). Also the
 * rules the old check had that Go does not have: Go accepts those SDLs, so do we.
 */
import { describe, expect, it } from "vitest";
import { chainNotes, goRuleProblems } from "../src/akash/go-rules.js";

type Doc = {
  version: string;
  services: Record<string, Record<string, unknown> & { expose: Record<string, unknown>[]; env: string[] }>;
  profiles: { compute: Record<string, { resources: Record<string, unknown> & { storage: Record<string, unknown>[]; memory: { size: unknown } } }>; placement: Record<string, { pricing: Record<string, { denom: string; amount: unknown }> }> };
  deployment: Record<string, Record<string, { profile: string; count: number }>>;
};
const base = (): Doc => ({
  version: "2.0",
  services: { web: { image: "nginx:1.25", expose: [{ port: 80, as: 80, to: [{ global: true }] }], env: ["A=1"] } },
  profiles: {
    compute: { web: { resources: { cpu: { units: 1 }, memory: { size: "1Gi" }, storage: [{ size: "1Gi" }] } } },
    placement: { dc: { pricing: { web: { denom: "uact", amount: 1000 } } } },
  },
  deployment: { web: { dc: { profile: "web", count: 1 } } },
});
const res = (d: Doc) => d.profiles.compute["web"]!.resources;
const web = (d: Doc) => d.services["web"]!;
const gpu = (units: number, models: unknown[] = [{ model: "h100" }]) => ({ units, attributes: { vendor: { nvidia: models } } });

/** [rule, Go source, makes it accepted, makes it refused, Go's reason]. */
const RULES: [string, string, (d: Doc) => void, (d: Doc) => void, RegExp][] = [
  ["GPU units per replica ≤ 24", "validateGPU, go/node/deployment/v1beta4/resourceunit.go", (d) => void (res(d)["gpu"] = gpu(24)), (d) => void (res(d)["gpu"] = gpu(25)), /GPU units 25 must be from 0 to 24/],
  ["CPU ≤ 384 cores", "validateCPU, resourceunit.go", (d) => void (res(d)["cpu"] = { units: 384 }), (d) => void (res(d)["cpu"] = { units: 500 }), /CPU 500 must be from 10m to 384 cores/],
  ["memory ≤ 2Ti", "validateMemory, resourceunit.go", (d) => void (res(d).memory.size = "2Ti"), (d) => void (res(d).memory.size = "3Ti"), /memory 3Ti is outside 1Mi to 2Ti/],
  ["unit price ≤ 10,000,000", "validatePricing, resourceunit.go", (d) => void (d.profiles.placement["dc"]!.pricing["web"]!.amount = 10_000_000), (d) => void (d.profiles.placement["dc"]!.pricing["web"]!.amount = 20_000_000), /exceeds the unit price limit 10000000/],
  ["amount not zero", "v2Coin.UnmarshalYAML, go/sdl/coin.go", (d) => void (d.profiles.placement["dc"]!.pricing["web"]!.amount = 1), (d) => void (d.profiles.placement["dc"]!.pricing["web"]!.amount = 0), /amount is zero/],
  ["an ephemeral volume sets no class", "errStorageEphemeralClass, go/sdl/storage.go", (d) => { res(d).storage.push({ name: "m", size: "1Gi", attributes: { persistent: true, class: "beta3" } }); web(d)["params"] = { storage: { m: { mount: "/m" } } }; }, (d) => void res(d).storage.push({ name: "m", size: "1Gi", attributes: { persistent: false, class: "beta3" } }), /ephemeral storage should not set attribute class/],
  ["storage class is known", "allowedStorageClasses, storage.go", (d) => { res(d).storage.push({ name: "m", size: "1Gi", attributes: { persistent: true, class: "beta2" } }); web(d)["params"] = { storage: { m: { mount: "/m" } } }; }, (d) => { res(d).storage.push({ name: "m", size: "1Gi", attributes: { persistent: true, class: "nvme" } }); web(d)["params"] = { storage: { m: { mount: "/m" } } }; }, /invalid value for attribute class "nvme"/],
  ["volume names are unique", "errStorageDuplicatedVolumeName, storage.go", (d) => void res(d).storage.push({ name: "cache", size: "1Gi" }), (d) => void res(d).storage.push({ size: "2Gi" }), /duplicated volume name "default"/],
  ["service name is a DNS label", "serviceNameValidationRegex, go/manifest/v2beta3/manifest.go", () => {}, (d) => {
    d.services["Web"] = web(d); d.deployment["Web"] = d.deployment["web"]!; delete d.services["web"]; delete d.deployment["web"];
  }, /service "Web" name is invalid/],
  ["env names are valid (only the name: SplitN(…, \"=\", 2))", "Service.validate, go/manifest/v2beta3/service.go", (d) => void web(d).env.push("FLAG"), (d) => void web(d).env.push("1BAD=x"), /invalid name "1BAD"/],
  ["at least one global service", "Groups.Validate, go/manifest/v2beta3/groups.go", (d) => void web(d).expose.push({ port: 8080 }), (d) => void (web(d).expose = [{ port: 8080 }]), /zero global services/],
  ["memory and storage units are k, Ki … E, Ei, case-sensitive", "parseWithSuffix/unitSuffixes, go/sdl/units.go", (d) => void (res(d).memory.size = "1G"), (d) => void (res(d).memory.size = "16gi"), /unit "gi" is not one Go knows.*did you mean "16Gi"\?/],
  ["\"6GB\" is not a size either", "parseWithSuffix, units.go", (d) => void (res(d).memory.size = "6G"), (d) => void (res(d).memory.size = "6GB"), /unit "GB" is not one Go knows.*did you mean "6G"\?/],
  ["GPU ram units are Ki … Ei only", "memorySuffixes, units.go (memoryQuantity in gpu.go)", (d) => void (res(d)["gpu"] = gpu(1, [{ model: "h100", ram: "80Gi" }])), (d) => void (res(d)["gpu"] = gpu(1, [{ model: "h100", ram: "80G" }])), /GPU ram "80G" does not parse/],
  ["GPU models are not listed twice", "Attributes.Validate, go/node/types/attributes/v1", (d) => void (res(d)["gpu"] = gpu(1, [{ model: "h100" }, { model: "a100" }])), (d) => void (res(d)["gpu"] = gpu(1, [{ model: "h100" }, { model: "h100" }])), /duplicate GPU attribute vendor\/nvidia\/model\/h100/],
  ["group GPU total ≤ 24 × 50", "ResourceUnits.Validate, go/node/deployment/v1beta4/resourceunits.go", (d) => { res(d)["gpu"] = gpu(24); d.deployment["web"]!["dc"]!.count = 50; }, (d) => { res(d)["gpu"] = gpu(24); d.deployment["web"]!["dc"]!.count = 51; }, /invalid total GPU 1224/],
  ["accept hostnames are lowercase DNS names", "isValidHostname, go/manifest/v2beta3/helpers.go", (d) => void (web(d).expose[0]!["accept"] = ["app.example.com"]), (d) => void (web(d).expose[0]!["accept"] = ["App.example.com"]), /invalid hostname "App.example.com"/],
  ["accept hostnames are unique", "ServiceExpose.validate, serviceexpose.go", (d) => void web(d).expose.push({ port: 81, to: [{ global: true }], accept: ["b.example.com"] }), (d) => { web(d).expose[0]!["accept"] = ["a.example.com"]; web(d).expose.push({ port: 81, to: [{ global: true }], accept: ["a.example.com"] }); }, /"a.example.com" is duplicated/],
  ["credentials are not blank", "v2ServiceCredentials.validate, go/sdl/v2.go", (d) => void (web(d)["credentials"] = { host: "ghcr.io", username: "u", password: "secret-1" }), (d) => void (web(d)["credentials"] = { host: "ghcr.io", username: "u", password: "      " }), /credentials missing password/],
];

describe("Go-only rules: accepted and refused, with the Go reference", () => {
  for (const [rule, source, accept, refuse, why] of RULES) {
    it(`${rule} (${source})`, async () => {
      const { generateManifest } = await import("@akashnetwork/chain-sdk");
      const ok = base();
      accept(ok);
      expect(goRuleProblems(ok), "Go accepts").toEqual([]);
      const bad = base();
      refuse(bad);
      expect(generateManifest(bad as never, "mainnet").ok, "chain-sdk accepts it: the rule is Go-only").toBe(true);
      expect(goRuleProblems(bad).map((p) => p.message).join("\n")).toMatch(why);
    });
  }
});

describe("what Go accepts, so we do too", () => {
  const accepted: [string, (d: Doc) => void][] = [
    ["an expose without `to` (Go makes it one non-global expose; the old check crashed on it)", (d) => void web(d).expose.push({ port: 9000, proto: "UDP" })],
    ["an env entry without '=' (SplitN keeps the name)", (d) => void web(d).env.push("DEBUG")],
    ["two ephemeral volumes, named apart (errStorageMultipleRootEphemeral is only reached for two empty mounts, which IsAbs refuses first)", (d) => void res(d).storage.push({ name: "scratch", size: "1Gi" })],
    ["count 60 (maxUnitCount's check is commented out in resourceunit.go; only group totals bind)", (d) => void (d.deployment["web"]!["dc"]!.count = 60)],
    ["an ibc/… denom (any valid coin denom parses)", (d) => void (d.profiles.placement["dc"]!.pricing["web"]!.denom = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1")],
    ["proto in lower case (ParseServiceProtocol upper-cases)", (d) => void (web(d).expose[0]!["proto"] = "tcp")],
    ["persistent: yes (unifyStringAsBool)", (d) => { res(d).storage.push({ name: "data", size: "1Gi", attributes: { persistent: "yes", class: "beta2" } }); web(d)["params"] = { storage: { data: { mount: "/data" } } }; }],
    ["an SDL version 2.1", (d) => void (d.version = "2.1")],
  ];
  for (const [name, mutate] of accepted) {
    it(name, () => {
      const d = base();
      mutate(d);
      expect(goRuleProblems(d)).toEqual([]);
    });
  }

  it("names the chain's deposit params, not the parser, for an ibc denom", () => {
    const d = base();
    d.profiles.placement["dc"]!.pricing["web"]!.denom = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
    expect(chainNotes(d).map((p) => p.message).join("\n")).toMatch(/parses, but the chain's deposit params take only uakt, uact \(MinDeposits/);
    expect(chainNotes(base())).toEqual([]);
  });

  it("names a denom no coin can carry (the SDK would panic)", () => {
    const d = base();
    d.profiles.placement["dc"]!.pricing["web"]!.denom = "u";
    expect(goRuleProblems(d).map((p) => p.message).join("\n")).toMatch(/denom "u" is not a valid coin denom/);
  });
});
