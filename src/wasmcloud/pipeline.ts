/**
 * The CI workflow (GitHub Actions) a component repository uses to build, sign and push the
 * component the grid runs, and to print the digest to pin in the grid:
 * - v1: `wash claims sign` with the grid's issuer key (the policy responder trusts it);
 * - v2: `cosign sign` of the pushed image by digest (checked by the cluster's admission policy).
 * Third-party actions are avoided; the one action used is pinned by commit SHA, tools are
 * installed at pinned versions through cargo/go, whose registries verify checksums.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions
 */

/** Tool versions the workflow installs. */
export const PIPELINE_TOOLS = {
  /** actions/checkout v4.2.2. */
  checkout: "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
  /** wash 0.x: the v1 CLI with `claims sign`. */
  washCli: "0.35.0",
  wkg: "0.16.0",
  oras: "v1.2.0",
  cosign: "v2.4.1",
} as const;

export interface PipelineInput {
  readonly app: string;
  readonly component: string;
  /** Image repository without tag or digest, e.g. `ghcr.io/tlos/hello`. */
  readonly repository: string;
  /** Registry host, e.g. `ghcr.io`. */
  readonly registry: string;
  /** Cargo package that builds the component (its `.wasm` name uses `_`). */
  readonly crate: string;
  readonly wasmcloud: "v1" | "v2";
  /** v1: days until the embedded claims expire. */
  readonly claimsExpireDays: number;
  /**
   * The grid's own registry (a `Registry` of the lattice): the job also copies the component
   * there by digest with its push identity and prints the grid reference to pin.
   */
  readonly grid?: { readonly push: string; readonly user: string; readonly caPem: string };
}

export function componentWorkflow(i: PipelineInput): Record<string, unknown> {
  const wasm = `target/wasm32-wasip2/release/${i.crate.replace(/-/g, "_")}.wasm`;
  const ref = `${i.repository}:\${VERSION}`;
  const steps: Record<string, unknown>[] = [
    { uses: PIPELINE_TOOLS.checkout, with: { "persist-credentials": false } },
    { name: "Toolchain", run: "rustup target add wasm32-wasip2" },
    {
      name: "Tools",
      run: [
        `go install oras.land/oras/cmd/oras@${PIPELINE_TOOLS.oras}`,
        i.wasmcloud === "v1"
          ? `cargo install wash-cli --version ${PIPELINE_TOOLS.washCli} --locked`
          : `cargo install wkg --version ${PIPELINE_TOOLS.wkg} --locked\ngo install github.com/sigstore/cosign/v2/cmd/cosign@${PIPELINE_TOOLS.cosign}`,
        'echo "$(go env GOPATH)/bin" >> "$GITHUB_PATH"',
      ].join("\n"),
    },
    { name: "Version", run: 'echo "VERSION=${GITHUB_REF_NAME#v}" >> "$GITHUB_ENV"' },
    { name: "Build", run: "cargo build --release --target wasm32-wasip2" },
    {
      name: "Registry login",
      env: { REGISTRY_TOKEN: "${{ secrets.GITHUB_TOKEN }}" },
      run: `echo "$REGISTRY_TOKEN" | oras login ${i.registry} -u "$GITHUB_ACTOR" --password-stdin`,
    },
  ];
  if (i.wasmcloud === "v1") {
    steps.push(
      {
        name: "Sign claims with the grid's issuer",
        env: { WASH_ISSUER_KEY: "${{ secrets.WASH_ISSUER_KEY }}" },
        run: `mkdir -p build\nwash claims sign ${wasm} --destination build/${i.component}_s.wasm --name ${i.component} --ver "$VERSION" --rev "$GITHUB_RUN_NUMBER" --expires ${i.claimsExpireDays}`,
      },
      {
        name: "Push",
        env: { WASH_REG_USER: "${{ github.actor }}", WASH_REG_PASSWORD: "${{ secrets.GITHUB_TOKEN }}" },
        run: `wash push "${ref}" build/${i.component}_s.wasm`,
      },
    );
  } else {
    steps.push({ name: "Push", run: `wkg oci push "${ref}" ${wasm}` });
  }
  steps.push({
    name: "Digest to pin in the grid",
    id: "digest",
    run: [`DIGEST=$(oras manifest fetch --descriptor "${ref}" | jq -r .digest)`, 'echo "digest=$DIGEST" >> "$GITHUB_OUTPUT"', `echo "image: ${i.repository}:$VERSION@$DIGEST" | tee -a "$GITHUB_STEP_SUMMARY"`].join("\n"),
  });
  if (i.grid) {
    const to = `${i.grid.push}/${i.repository}`;
    steps.push({
      name: "Copy to the grid registry by digest",
      env: { TLOS_REGISTRY_PASSWORD: "${{ secrets.TLOS_REGISTRY_PASSWORD }}", TLOS_REGISTRY_CA: i.grid.caPem },
      run: [
        'printf \'%s\' "$TLOS_REGISTRY_CA" > "$RUNNER_TEMP/tlos-registry-ca.pem"',
        `echo "$TLOS_REGISTRY_PASSWORD" | oras login ${i.grid.push} -u ${i.grid.user} --password-stdin --ca-file "$RUNNER_TEMP/tlos-registry-ca.pem"`,
        `oras cp --to-ca-file "$RUNNER_TEMP/tlos-registry-ca.pem" "${i.repository}@\${{ steps.digest.outputs.digest }}" "${to}@\${{ steps.digest.outputs.digest }}"`,
        `echo "grid registry: ${to}@\${{ steps.digest.outputs.digest }}" | tee -a "$GITHUB_STEP_SUMMARY"`,
      ].join("\n"),
    });
  }
  if (i.wasmcloud === "v2") {
    steps.push({
      name: "Sign the image by digest",
      env: { COSIGN_PRIVATE_KEY: "${{ secrets.COSIGN_PRIVATE_KEY }}", COSIGN_PASSWORD: "${{ secrets.COSIGN_PASSWORD }}" },
      run: `cosign sign --yes --key env://COSIGN_PRIVATE_KEY "${i.repository}@\${{ steps.digest.outputs.digest }}"`,
    });
  }
  return {
    name: `release ${i.component}`,
    on: { push: { tags: ["v*"] }, workflow_dispatch: {} },
    permissions: { contents: "read", packages: "write" },
    concurrency: { group: `release-${i.component}-\${{ github.ref }}`, "cancel-in-progress": false },
    jobs: {
      release: {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 60,
        outputs: { digest: "${{ steps.digest.outputs.digest }}" },
        steps,
      },
    },
  };
}
