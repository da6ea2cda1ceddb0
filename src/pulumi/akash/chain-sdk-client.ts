/**
 * The real `AkashChain`, backed by `@akashnetwork/chain-sdk` (deployment v1beta4, market v1beta5,
 * cert v1, provider v1beta4). It is type-checked against chain-sdk's declarations but cannot be
 * run here (no chain is reachable); the flow it serves is tested against stand-ins.
 * @see https://github.com/akash-network/chain-sdk/tree/main/ts
 */
import type { AkashChain, Bid, ClientCertificate, LeaseState } from "../../akash/deploy/types.js";
import { importOptional } from "../../core/optional.js";

export interface ChainSdkOptions {
  /** RPC endpoint for transactions, e.g. `https://rpc.akashnet.net:443`. */
  readonly rpcUrl: string;
  /** gRPC endpoint for queries, e.g. `https://grpc.akashnet.net:443`. */
  readonly grpcUrl: string;
  /** The wallet mnemonic (secret). */
  readonly mnemonic: string;
  /** A client certificate saved from an earlier run; reused while it is valid on chain. */
  readonly savedCertificate?: ClientCertificate;
}

const LEASE_STATES: Record<number, LeaseState> = { 1: "active", 2: "insufficient_funds", 3: "closed" };

export async function chainSdkClient(o: ChainSdkOptions): Promise<AkashChain> {
  const sdkMod = await importOptional("@akashnetwork/chain-sdk", () => import("@akashnetwork/chain-sdk"));
  const signer = sdkMod.createStargateClient({ baseUrl: o.rpcUrl, signerMnemonic: o.mnemonic });
  const sdk = sdkMod.createChainNodeSDK({ query: { baseUrl: o.grpcUrl }, tx: { signer } });
  const owner = (await signer.getAccount()).address;
  let cert = o.savedCertificate;
  const id = (dseq: string) => ({ owner, dseq });
  const bidId = (dseq: string, b: Bid) => ({ owner, dseq, gseq: b.gseq, oseq: b.oseq, provider: b.provider, bseq: b.bseq });
  return {
    owner: async () => owner,
    // chain-sdk exposes no block-height query; a millisecond clock gives a unique, increasing dseq
    height: async () => Date.now(),
    async ensureCertificate() {
      if (cert) {
        const onChain = await sdk.akash.cert.v1.getCertificates({ filter: { owner, state: "valid" } });
        const pem = cert.certPem;
        if (onChain.certificates.some((c) => Buffer.from(c.certificate?.cert ?? new Uint8Array()).toString("utf8") === pem)) return cert;
      }
      const made = await sdkMod.certificateManager.generatePEM(owner);
      await sdk.akash.cert.v1.createCertificate({ owner, cert: Buffer.from(made.cert, "utf8"), pubkey: Buffer.from(made.publicKey, "utf8") });
      cert = { certPem: made.cert, keyPem: made.privateKey };
      return cert;
    },
    async createDeployment(i) {
      await sdk.akash.deployment.v1beta4.createDeployment({
        id: id(i.dseq),
        groups: i.groupSpecs as never,
        hash: i.hash,
        deposit: { amount: { denom: i.deposit.denom, amount: i.deposit.amount }, sources: [1 /* Source.balance */] },
      });
    },
    async updateDeployment(i) {
      await sdk.akash.deployment.v1beta4.updateDeployment({ id: id(i.dseq), hash: i.hash });
    },
    async closeDeployment(dseq) {
      await sdk.akash.deployment.v1beta4.closeDeployment({ id: id(dseq) });
    },
    async depositDeployment(dseq, amount) {
      // the deployment's escrow account: scope deployment (1), xid "<owner>/<dseq>"
      await sdk.akash.escrow.v1.accountDeposit({ signer: owner, id: { scope: 1, xid: `${owner}/${dseq}` }, deposit: { amount: { denom: amount.denom, amount: amount.amount }, sources: [1 /* Source.balance */] } });
    },
    async bids(dseq) {
      const r = await sdk.akash.market.v1beta5.getBids({ filters: { owner, dseq, state: "open" } });
      return r.bids.flatMap((b): Bid[] => {
        const x = b.bid;
        if (!x?.id || !x.price) return [];
        return [{ provider: x.id.provider, gseq: x.id.gseq, oseq: x.id.oseq, bseq: x.id.bseq, price: { denom: x.price.denom, amount: Number(x.price.amount) } }];
      });
    },
    async createLease(dseq, b) {
      await sdk.akash.market.v1beta5.createLease({ bidId: bidId(dseq, b) });
    },
    async leaseState(dseq, b) {
      const r = await sdk.akash.market.v1beta5.getLease({ id: bidId(dseq, b) });
      return LEASE_STATES[r.lease?.state ?? 0] ?? "unknown";
    },
    async providerHostUri(provider) {
      const r = await sdk.akash.provider.v1beta4.getProvider({ owner: provider });
      const uri = r.provider?.hostUri;
      if (!uri) throw new Error(`provider ${provider} has no host URI on chain`);
      return uri;
    },
  };
}
