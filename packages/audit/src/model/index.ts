export { createSyntheticModel, SyntheticModelFault, ModelRequestInvalid, SYNTHETIC_MODEL_VERSION, MODEL_PROFILE, visiblePrompt } from "./synthetic-model";
export { buildCatalogue } from "./catalogue";
export { recogniseUtterance, type Utterance } from "./utterances";
export { measureAnchors } from "./anchors";
export { createRng, type Rng } from "./rng";
export * from "./text";
export * as world from "./world";
