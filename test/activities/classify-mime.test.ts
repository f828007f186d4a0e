import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyMime } from '../../activities/mail/classify-item.js';
import { corpusDir } from '../helpers/mail-corpus.js';

describe('classifyMime', () => {
  it('takes the obsolete field syntax RFC 5322 4.5 allows (white space before the colon) for a mail message', () => {
    expect(classifyMime(Buffer.from('Subject : Quarterly figures\r\nFrom : Dana <dana@contoso.example>\r\n\r\nbody\r\n'))).toBeNull();
    expect(classifyMime(readFileSync(path.join(corpusDir, 'james-mime4j/obsolete.msg')))).toBeNull();
  });

  it('reads Content-Type written with the obsolete syntax too', () => {
    const tnef = Buffer.from('From: a@contoso.example\r\nContent-Type : application/ms-tnef\r\n\r\nxx\r\n');
    expect(classifyMime(tnef)).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('still calls bytes without any header field an unsupported format', () => {
    expect(classifyMime(Buffer.from('This is a simple message not having headers.\r\n'))).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });
});
