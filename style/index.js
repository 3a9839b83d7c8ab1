import './base.css';
import './run.css';
import './tune.css';
