// The client key of every limiter (issue 14 §3): the socket's address unless it
// is a configured trusted proxy; forwarded hops are believed only through
// trusted proxies, walking from the right.
import fc from "fast-check";
import { clientAddressOf, trustedProxyMatcher } from "../src/http/client-address";

const req = (remoteAddress: string, xff?: string | string[]) => ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as never;

describe("trustedProxyMatcher", () => {
  it("matches addresses and CIDR blocks, v4, v6 and v4-mapped v6", () => {
    const trusts = trustedProxyMatcher(["10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8"]);
    expect(["10.1.2.3", "::ffff:10.1.2.3", "192.168.1.7", "::1", "fd12::1"].every(trusts)).toBe(true);
    expect(["11.0.0.1", "192.168.1.8", "127.0.0.1", "fe80::1", "garbage", ""].some(trusts)).toBe(false);
  });

  it("trusts nothing by default", () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => !trustedProxyMatcher([])(ip)));
  });
});

describe("clientAddressOf", () => {
  const none = trustedProxyMatcher([]);
  const local = trustedProxyMatcher(["127.0.0.1", "10.0.0.0/8"]);

  it("without trusted proxies, X-Forwarded-For is ignored whatever it says (property)", () => {
    fc.assert(fc.property(fc.ipV4(), fc.array(fc.ipV4(), { maxLength: 5 }), (socket, hops) => clientAddressOf(req(socket, hops.join(", ")), none) === socket));
  });

  it("through trusted proxies, the rightmost untrusted hop is the client", () => {
    expect(clientAddressOf(req("127.0.0.1", "203.0.113.9"), local)).toBe("203.0.113.9");
    expect(clientAddressOf(req("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.2"), local)).toBe("203.0.113.9");
    expect(clientAddressOf(req("127.0.0.1", ["198.51.100.1", "203.0.113.9"]), local)).toBe("203.0.113.9");
    // An untrusted peer's header is not read at all.
    expect(clientAddressOf(req("203.0.113.50", "1.2.3.4"), local)).toBe("203.0.113.50");
    // No header, an empty one, or a malformed hop: the last address that can be attributed.
    expect(clientAddressOf(req("127.0.0.1"), local)).toBe("127.0.0.1");
    expect(clientAddressOf(req("127.0.0.1", ""), local)).toBe("127.0.0.1");
    expect(clientAddressOf(req("127.0.0.1", "203.0.113.9, not-an-ip"), local)).toBe("127.0.0.1");
  });

  it("a client cannot choose its key by prepending hops (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.ipV4(), { maxLength: 4 }), fc.ipV4().filter((ip) => !local(ip)), (chosen, real) => {
        // The trusted proxy appends the real peer; whatever the client wrote before it is ignored.
        const header = [...chosen, real].join(", ");
        return clientAddressOf(req("127.0.0.1", header), local) === real;
      }),
    );
  });
});
