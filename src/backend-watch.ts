import { ISignal, Signal } from '@lumino/signaling';

/**
 * Follows which backend process answers. `GET health` names the process
 * (`instance`, new at every start); when it changes, the backend was started
 * again (after a crash, by the supervisor in cellflow/supervisor.py), so what
 * it held in memory is gone and the panel says so.
 */
export class BackendWatch {
  /** Emitted with the new health when a different backend process answers. */
  get restarted(): ISignal<this, BackendWatch.IHealth> {
    return this._restarted;
  }

  /** The instance that answered last; null before the first health check. */
  get instance(): string | null {
    return this._instance;
  }

  /** Records a health answer; returns true when it comes from a restarted backend. */
  observe(health: BackendWatch.IHealth): boolean {
    const previous = this._instance;
    this._instance = health.instance ?? null;
    const restarted = previous !== null && this._instance !== null && previous !== this._instance;
    if (restarted) {
      this._restarted.emit(health);
    }
    return restarted;
  }

  private _instance: string | null = null;
  private _restarted = new Signal<this, BackendWatch.IHealth>(this);
}

export namespace BackendWatch {
  /** The part of `GET health` this needs. */
  export interface IHealth {
    version: string;
    instance?: string;
    startedAt?: string;
  }
}

/** The one watch the request helper feeds. */
export const backendWatch = new BackendWatch();
