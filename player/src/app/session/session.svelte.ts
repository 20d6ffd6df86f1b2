/*
 * Who is using the player, kept in localStorage so a reload keeps them signed in: the viewer
 * (their access token from POST /login or sign-up), the profile they picked, and the staff
 * keys pasted once on the content-team and analytics pages.
 */
import { ApiError } from '../api/http';
import type { Profile, SignedIn } from '../api/types';
import { navigate } from '../routing/router.svelte';

export type Viewer = SignedIn & { email: string };

const keys = {
  viewer: 'marquee.viewer',
  profile: 'marquee.profile',
  contentKey: 'marquee.contentKey',
  analystKey: 'marquee.analystKey',
} as const;

const read = <T>(key: string): T | null => {
  try {
    const text = localStorage.getItem(key);
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null;
  }
};

const write = (key: string, value: unknown) => {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(value));
};

export const session = $state({
  viewer: read<Viewer>(keys.viewer),
  profile: read<Profile>(keys.profile),
  contentKey: read<string>(keys.contentKey),
  analystKey: read<string>(keys.analystKey),
});

export const signIn = (viewer: Viewer) => {
  session.viewer = viewer;
  session.profile = null;
  write(keys.viewer, viewer);
  write(keys.profile, null);
};

export const signOut = () => {
  session.viewer = null;
  session.profile = null;
  write(keys.viewer, null);
  write(keys.profile, null);
};

export const chooseProfile = (profile: Profile | null) => {
  session.profile = profile;
  write(keys.profile, profile);
};

export const setStaffKey = (role: 'content' | 'analyst', key: string | null) => {
  if (role === 'content') session.contentKey = key;
  else session.analystKey = key;
  write(role === 'content' ? keys.contentKey : keys.analystKey, key);
};

/** A viewer whose token the API no longer takes is signed out and sent to log in; true if that happened. */
export const signOutIfRefused = (error: unknown): boolean => {
  if (!(error instanceof ApiError && error.status === 401)) return false;
  signOut();
  navigate('/login', { replace: true });
  return true;
};
