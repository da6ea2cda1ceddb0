// The Pulumi program of this example. The Pulumi adapter (@tlos/grid/pulumi) is reserved; the
// Akash, Kubernetes and Cloudflare targets bring its components. Until then `tlos synth` is
// the way to deploy a home node: see grid.ts.
import grid from "./grid.js";
export default grid;
