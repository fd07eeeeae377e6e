import fc from 'fast-check';

/**
 * `application/x-www-form-urlencoded` bodies as senders write them: repeated names, `+` and
 * `%20` for spaces, upper- and lower-case escapes, non-ASCII values.
 */
export const formBodies: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'MessageStatus', 'a', 'b'), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.boolean()), {
    maxLength: 8,
  })
  .map((fields) => fields.map(([name, value, plus]) => `${name}=${plus ? new URLSearchParams({ v: value }).toString().slice(2) : encodeURIComponent(value)}`).join('&'));
