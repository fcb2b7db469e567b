// The finder dispatcher every consumer goes through.
export { scanText, scanAs, detectFileKind } from '../../src/scan/index';
export { forgetYamlPieces } from '../../src/scan/yamlIncremental';
