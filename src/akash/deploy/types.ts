/**
 * The interfaces the Akash deployment flow talks to: the chain (transactions and queries) and a
 * provider's HTTPS API (manifest and lease status, authenticated with the owner's client
 * certificate over mTLS). `chain-sdk-client.ts` implements the chain with `@akashnetwork/chain-sdk`;
 * tests use stand-ins behind the same interfaces (the real chain is out of reach here).
 */

/** A bid on one order of the deployment. */
export interface Bid {
  readonly provider: string;
  readonly gseq: number;
  readonly oseq: number;
  readonly bseq: number;
  /** Price per block in micro-denom (decimal string on chain). */
  readonly price: { readonly denom: string; readonly amount: number };
}

export type LeaseState = "active" | "insufficient_funds" | "closed" | "unknown";

/** The owner's mTLS client certificate (registered on chain). */
export interface ClientCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface AkashChain {
  /** The wallet's address (akash1…). */
  owner(): Promise<string>;
  /** The latest block height: the dseq of a new deployment. */
  height(): Promise<number>;
  /** A client certificate on chain for this owner, created and broadcast if there is none. */
  ensureCertificate(): Promise<ClientCertificate>;
  createDeployment(i: { dseq: string; groupSpecs: unknown[]; hash: Uint8Array; deposit: { denom: string; amount: string } }): Promise<void>;
  updateDeployment(i: { dseq: string; hash: Uint8Array }): Promise<void>;
  closeDeployment(dseq: string): Promise<void>;
  /** Adds funds to the deployment's escrow account (escrow v1 `MsgAccountDeposit`). */
  depositDeployment(dseq: string, amount: { denom: string; amount: string }): Promise<void>;
  /** Open bids on the deployment's orders. */
  bids(dseq: string): Promise<Bid[]>;
  createLease(dseq: string, bid: Bid): Promise<void>;
  leaseState(dseq: string, bid: Bid): Promise<LeaseState>;
  /** The provider's API base URL, e.g. `https://provider.example.com:8443`. */
  providerHostUri(provider: string): Promise<string>;
}

/** Per service: how many replicas are up, and where they answer. */
export interface ServiceStatus {
  readonly available: number;
  readonly total: number;
  readonly uris: readonly string[];
}

export interface ForwardedPort {
  readonly service: string;
  readonly host: string;
  readonly port: number;
  readonly externalPort: number;
  readonly proto: string;
}

export interface LeaseStatus {
  readonly services: Readonly<Record<string, ServiceStatus>>;
  readonly forwardedPorts: readonly ForwardedPort[];
}

export interface ProviderApi {
  /** `PUT /deployment/{dseq}/manifest`. */
  sendManifest(hostUri: string, dseq: string, manifestJson: string, cert: ClientCertificate): Promise<void>;
  /** `GET /lease/{dseq}/{gseq}/{oseq}/status`. */
  leaseStatus(hostUri: string, dseq: string, gseq: number, oseq: number, cert: ClientCertificate): Promise<LeaseStatus>;
}
