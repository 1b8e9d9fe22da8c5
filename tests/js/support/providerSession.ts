/**
 * A spec's real local provider: started once for the file, reset before each test, stopped at
 * the end; and a whole browser-mode sign-in against it.
 */
import {
  completeAuthorization,
  prepareAuthorization
} from '../../../src/flow/oauth';
import { authorize, flowConfig, IProvider, startProvider } from './provider';

/** Registers the file's hooks; call the returned function inside a test for the provider. */
export function useProvider(): () => IProvider {
  let provider: IProvider;
  beforeAll(async () => {
    provider = await startProvider();
  });
  afterAll(async () => {
    await provider?.stop();
  });
  beforeEach(async () => {
    await provider.reset();
  });
  return () => provider;
}

/** Sign in as the user would (popup answered by the provider); the tokens the lab would upload. */
export async function signIn(
  provider: IProvider
): ReturnType<typeof completeAuthorization> {
  const pending = await prepareAuthorization(flowConfig(provider));
  return completeAuthorization(pending, await authorize(pending));
}
