// The member-facing words that name the upstream or show what its job ids look like: useapi's jobids
// (`job:…-channel:…`) or a midjourney-proxy's task ids (16 digits). Everything else members read is the same for both.
import type { MessageKey } from '../i18n/index.js';
import type { UpstreamName } from '../seed/upstream.js';

interface UpstreamWords {
  invalidInput: MessageKey;
  pastedNotJobid: MessageKey;
  modalTitle: MessageKey;
  unknownMessage: MessageKey;
  /** The paste modal's placeholder: what a job id of this upstream looks like. */
  placeholder: string;
}

const WORDS: Record<UpstreamName, UpstreamWords> = {
  useapi: {
    invalidInput: 'error.invalidInput',
    pastedNotJobid: 'error.pastedNotJobid',
    modalTitle: 'modal.title',
    unknownMessage: 'error.unknownMessage',
    placeholder: 'job:20241218021941022-user:1308-channel:…',
  },
  'midjourney-proxy': {
    invalidInput: 'error.proxy.invalidInput',
    pastedNotJobid: 'error.proxy.pastedNotJobid',
    modalTitle: 'modal.proxyTitle',
    unknownMessage: 'error.proxy.unknownMessage',
    placeholder: '1733400000000123',
  },
};

export const upstreamWords = (upstream: UpstreamName): UpstreamWords => WORDS[upstream];
