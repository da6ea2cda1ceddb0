/**
 * `@tlos/grid/pulumi`: the Pulumi adapter. Reserved: the components that map a synthesized grid
 * onto Pulumi resources land with the Akash, Kubernetes and Cloudflare targets. This is the only
 * module allowed to import `@pulumi/*`.
 */
export const PULUMI_ADAPTER_VERSION = 0;
