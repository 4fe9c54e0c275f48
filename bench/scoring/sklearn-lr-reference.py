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
