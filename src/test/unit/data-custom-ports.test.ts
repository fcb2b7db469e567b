import * as assert from 'node:assert/strict';
import { customPortNames } from '../../data/customPorts';
import { teamName } from '../../data/registry';

describe('data: portolan.customPorts', () => {
  // Regression: the settings reader kept only bare numbers, so "5353/udp" never reached the registry.
  it('keeps protocol keys, normalized to the forms the registry looks up', () => {
    const names = customPortNames({
      '4000': 'billing-api',
      '5353/udp': 'team-dns',
      ' 7777 / TCP ': 'game-lobby',
      '0080': 'legacy-web',
      '9000/quic': 'nope',
      '70000': 'too-big',
      '0': 'zero',
      abc: 'not-a-port',
      '8080': 42,
      '8081': '  ',
    });
    assert.deepEqual(names, {
      '4000': 'billing-api',
      '5353/udp': 'team-dns',
      '7777/tcp': 'game-lobby',
      '80': 'legacy-web',
    });
    assert.equal(teamName(5353, 'udp', names), 'team-dns');
    assert.equal(teamName(5353, 'tcp', names), undefined);
  });

  it('reads nothing from a value that is not an object', () => {
    assert.deepEqual(customPortNames(undefined), {});
    assert.deepEqual(customPortNames(['4000']), {});
    assert.deepEqual(customPortNames('4000'), {});
  });
});
