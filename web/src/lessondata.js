// The lessons' Try it: for each step of each lesson, the URL state
// (urlstate.js) that sets up the real view. The words are in
// lessons_en.js and lessons_ko.js, in the same order. go=1 starts the
// surface's paths at once (they are cheap); a network run always waits for
// the student's Start. at= scrolls to a panel of the view (links.js FOCUS).
//
// The rates: on the quadratic bowl with condition number κ the eigenvalues
// of H are 1 and κ, so gradient descent converges for α < 2/κ (κ = 4: 0.5;
// κ = 25: 0.08; κ = 100: 0.02).
export const LESSONS = [
  { // 1. The gradient and one step
    steps: [
      "v=surface&fn=quadratic&fp=cond:4&o=gd:0.1&st=100",
      "v=surface&fn=quadratic&fp=cond:4&o=gd:0.1&st=100",
      "v=surface&fn=quadratic&fp=cond:4&o=gd:0.1&st=100&go=1",
      "v=surface&fn=quadratic&o=gd:0.07&go=1",
    ],
  },
  { // 2. The learning rate and convergence
    steps: [
      "v=surface&fn=quadratic&m=r&go=1",
      "v=surface&m=r&go=1",
      "v=compare&rs=0.01,0.1,1,10&e=1&p=1&sh=1",
      "v=train&lr=2&b=all&e=300&p=0&n=2000&at=sharp",
    ],
  },
  { // 3. Newton's method and the Hessian
    steps: [
      "v=surface&fn=quadratic&fp=angle:30&o=newton:1,gd:0.07&go=1",
      "v=surface&o=newton:1,gd:0.001&go=1",
      "v=surface&fn=saddle&o=newton:1,gd:0.1&st=100&go=1",
      "v=train&e=1&p=0&at=hess",
    ],
  },
  { // 4. Conjugate gradient and line search
    steps: [
      "v=surface&fn=quadratic&fp=cond:100,angle:30&o=gd:0.019&st=1000&go=1",
      "v=surface&fn=quadratic&fp=cond:100,angle:30&o=cg,gd:0.019&st=1000&go=1",
      "v=surface&o=cg,bfgs,gd:0.001&go=1",
    ],
  },
  { // 5. Stochastic, mini-batch and batch gradient descent
    steps: [
      "v=train&e=1&p=1",
      "v=compare&m=b&e=1&p=0",
      "v=train&lr=0.5&b=all&e=100&p=0&n=2000",
    ],
  },
  { // 6. Adaptive rates: Adagrad, RMSprop and Adam
    steps: [
      "v=surface&fn=quadratic&fp=cond:100&o=gd:0.019,adagrad:1,rmsprop:0.1,adam:0.3&go=1",
      "v=surface&o=gd:0.001,adagrad:0.5,rmsprop:0.01,adam:0.05&go=1",
      "v=compare&m=o&os=sgd:0.1,adagrad:0.01,rmsprop:0.001,adam:0.001&e=1&p=1",
    ],
  },
  { // 7. The report's network
    steps: [
      "v=train",
      "v=train&e=3&p=1",
      "v=train&at=pics",
      "v=draw&at=draw",
    ],
  },
  { // 8. Derivatives inside the network
    steps: [
      "v=draw&at=chain",
      "v=draw&at=draw",
      "v=draw&at=learn",
      "v=train&at=land",
    ],
  },
];
