import { describe, expect, it } from 'vitest';
import { OwnTriggers } from '../../../src/core/scheduling/ownTrigger';

const at = (version: number, offset = 10) => ({ uri: 'file:///a.py', version, offset });

describe('OwnTriggers: the watchdog trigger is served as automatic, and the user can still ask', () => {
  it("the explicit call after the watchdog fired is its own; a later explicit call is the user's", () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    expect(o.onCall(at(3), true)).toBe(true);
    expect(o.onCall(at(3), true)).toBe(false);
  });

  it("VS Code's late automatic call does not use up the watchdog's mark", () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    expect(o.onCall(at(3), false)).toBe(false);
    expect(o.onCall(at(3), true)).toBe(true);
  });

  it("a key typed before VS Code ran the command: its explicit call at the newer version is still the watchdog's", () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    expect(o.onCall(at(4), true)).toBe(true);
  });

  it('not for another document, an older version, or once the command has finished', () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    expect(o.onCall({ ...at(3), uri: 'file:///b.py' }, true)).toBe(false);
    expect(o.onCall(at(2), true)).toBe(false);
    o.settled('file:///a.py', 3);
    expect(o.onCall(at(3), true)).toBe(false);
  });

  it('a finished older command does not clear a newer mark', () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    o.issued('file:///a.py', 4);
    o.settled('file:///a.py', 3);
    expect(o.onCall(at(4), true)).toBe(true);
  });

  it('after a served watchdog trigger, the next ask at that position makes VS Code ask again, once', () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    o.onCall(at(3), true);
    expect(o.askAgain(at(3))).toBe(true);
    expect(o.askAgain(at(3))).toBe(false);
  });

  it("the user asks before the watchdog's command reached Tessera: the one explicit call is the user's", () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    expect(o.askAgain(at(3))).toBe(false);
    expect(o.onCall(at(3), true)).toBe(false);
  });

  it('no asking again elsewhere, after typing, or when a normal call came in between', () => {
    const o = new OwnTriggers();
    o.issued('file:///a.py', 3);
    o.onCall(at(3), true);
    expect(o.askAgain(at(3, 11))).toBe(false);

    o.issued('file:///a.py', 3);
    o.onCall(at(3), true);
    expect(o.askAgain(at(4))).toBe(false);

    o.issued('file:///a.py', 5);
    o.onCall(at(5), true);
    o.onCall(at(6), false);
    expect(o.askAgain(at(6))).toBe(false);
  });
});
