export { loadRuntimeDirectory, type LoadedRuntime, type LoadOptions } from "./load";
export { artifactEntryPath } from "./artifact-paths";
export { BUNDLE_MAX_BYTES, REQUIRED_EXPORT, bundleEntry, type EntryBundle } from "./bundle-entry";
export { collectPythonSources, type PythonSources } from "./python-sources";
export { MANIFEST_MAX_BYTES, readManifest, type ManifestRead } from "./read-manifest";
