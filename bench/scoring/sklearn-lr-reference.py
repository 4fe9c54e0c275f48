import numpy as np
from sklearn.linear_model import LogisticRegression
X = np.array([[0.5,1.0,0.0],[1.5,0.0,1.0],[-0.3,2.0,0.0],[2.2,-1.0,1.0],[0.1,0.5,0.0],[1.0,1.0,1.0],
              [-1.2,0.3,0.0],[0.8,-0.7,1.0],[1.9,0.2,0.0],[-0.5,-1.5,1.0],[0.3,0.9,1.0],[-2.0,1.1,0.0]])
y = np.array([0,1,0,1,0,1,0,0,1,1,0,0])
m = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(X,y)
print("binary C=1", repr(m.coef_.ravel().tolist()), repr(m.intercept_.tolist()))
m = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000, class_weight='balanced').fit(X,y)
print("binary C=0.5 balanced", repr(m.coef_.ravel().tolist()), repr(m.intercept_.tolist()))
y3 = np.array([0,1,2,1,0,2,0,1,1,2,2,0])
m = LogisticRegression(C=2.0, tol=1e-12, max_iter=100000, multi_class='multinomial').fit(X,y3)
print("multi C=2", repr(m.coef_.tolist()), repr(m.intercept_.tolist()))
print(repr(m.predict_proba(X[:2]).tolist()))
import numpy as np
from scipy.optimize import minimize
X = np.array([[0.5,1.0,0.0],[1.5,0.0,1.0],[-0.3,2.0,0.0],[2.2,-1.0,1.0],[0.1,0.5,0.0],[1.0,1.0,1.0],
              [-1.2,0.3,0.0],[0.8,-0.7,1.0],[1.9,0.2,0.0],[-0.5,-1.5,1.0],[0.3,0.9,1.0],[-2.0,1.1,0.0]])
y = np.array([0,1,0,1,0,1,0,0,1,1,0,0])
s = len(y)/(2*np.bincount(y))[y]
def f(t):
    w,b=t[:3],t[3]; z=X@w+b; m=np.where(y==1,z,-z)
    return (s*np.logaddexp(0,-m)).sum()+0.5/0.5*(w@w)
r=minimize(f,np.zeros(4),method='BFGS',options={'gtol':1e-12})
print(r.x.tolist())
from sklearn.linear_model import LogisticRegression
m = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000, class_weight='balanced').fit(X,y)
print(m.coef_, m.intercept_, m.n_iter_)
import numpy as np
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score, log_loss, brier_score_loss, f1_score
f = np.array([-2.0,-1.5,-1.0,-0.5,0.0,0.3,0.6,1.0,1.4,2.0,2.5,-0.2])
y = np.array([0,0,1,0,0,1,0,1,1,1,1,0])
a,b = _sigmoid_calibration(f, y)
print("platt", a, b)
iso = IsotonicRegression(out_of_bounds='clip', y_min=0, y_max=1).fit(f, y)
grid = np.array([-3,-1.2,-0.1,0.45,1.2,3.0])
print("iso", iso.predict(grid).tolist())
p = np.array([0.1,0.4,0.35,0.8,0.8,0.2,0.9,0.65])
yy = np.array([0,0,1,1,0,0,1,1])
print("auc", roc_auc_score(yy,p), "ll", log_loss(yy,p), "brier", brier_score_loss(yy,p))
yt=[0,1,2,2,1,0,1,2]; yp=[0,2,2,2,1,1,1,0]
print("f1", f1_score(yt,yp,average='macro'))
