export { createSyntheticModel, SyntheticModelFault, ModelRequestInvalid, SYNTHETIC_MODEL_VERSION, MODEL_PROFILE, visiblePrompt } from "./synthetic-model";
export { buildCatalogue } from "./catalogue";
export { recogniseUtterance, type Utterance } from "./utterances";
export { measureAnchors } from "./anchors";
export { readNames, statesName, lastStatedName, boundNickname, ASSISTANT_NAME_FORMS, NICKNAME_FORMS, type NameStatement, type NicknameBinding } from "./names";
export { createRng, type Rng } from "./rng";
export * from "./text";
export * as world from "./world";
